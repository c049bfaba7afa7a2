# base -> util.through -> low_b -> top: the chain ends at the nearest layer, low_b.
from lyr.util import through
