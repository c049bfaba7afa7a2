from . import t
