"""The task manager's API, still naming the guest agent by its old path."""

import trove.guestagent.api
from trove.guestagent import api as guest_api
from trove import guestagent, instance
from trove.common import cfg  # configuration
from trove.openstack.common import log as logging


def prepare(name):
    return trove.guestagent.api.API().prepare(name), guest_api, guestagent, instance, cfg, logging
