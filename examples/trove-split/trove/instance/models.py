from common import cfg

CONF = cfg.CONF
