"""Calls into the guest agent."""

from common import cfg
from trove.instance import models


class GuestAPI:
    def prepare(self, name):
        return models.CONF, cfg.CONF, name
