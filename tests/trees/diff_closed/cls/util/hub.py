from . import alt1
from . import alt2
