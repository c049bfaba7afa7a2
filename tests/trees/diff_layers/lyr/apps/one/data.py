# data -> extra -> ui: extra is not a layer, so this is an indirect upward import.
from . import extra
