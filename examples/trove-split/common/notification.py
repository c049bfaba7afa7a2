"""Notifications shared by the services."""

from trove.taskmanager import api as task_api


def send_start(context, action):
    return task_api.API(), context, action
