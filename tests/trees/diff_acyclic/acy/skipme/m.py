from . import n
