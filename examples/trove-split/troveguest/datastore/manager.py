"""Datastore manager."""

from common import cfg


class Manager:
    def update_status(self):
        from trove.taskmanager import api  # imported late, still a dependency

        return api.API(), cfg.CONF
