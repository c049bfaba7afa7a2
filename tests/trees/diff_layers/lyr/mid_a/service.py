# mid_a | mid_b are independent siblings: this relative import breaks the contract.
from ..mid_b import service as other
from lyr.low_a import x
