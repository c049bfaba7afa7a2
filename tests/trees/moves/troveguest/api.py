"""The guest agent's API."""

from common import cfg


class API:
    def prepare(self, name):
        return cfg.CONF, name
