from ..common import cfg  # a relative import that resolves to an old path

CONF = cfg.CONF
