"""Backups run on the instance."""

from common import notification


def run_backup(context):
    notification.send_start(context, "backup")
