from . import alt_x
from . import alt_y
