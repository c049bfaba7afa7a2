from . import q
