from inventory.services import stock


def show(item):
    return stock.level(item)
