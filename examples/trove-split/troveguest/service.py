from typing import TYPE_CHECKING

from common import cfg

if TYPE_CHECKING:
    from trove.instance.models import CONF  # only for type hints, still a boundary break


def conf():
    return cfg.CONF
