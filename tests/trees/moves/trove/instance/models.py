from ..common import cfg  # a relative import that resolves to the old trove.common

CONF = cfg.CONF
