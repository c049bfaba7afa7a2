from . import cyc1
from lyr.mid_b import service
