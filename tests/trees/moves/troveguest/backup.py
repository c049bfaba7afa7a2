from common import notification


def run():
    return notification.send("backup")
