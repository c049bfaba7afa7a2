# low_a : low_b are siblings that may import each other.
from lyr.low_b import y
