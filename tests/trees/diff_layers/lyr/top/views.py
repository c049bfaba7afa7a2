from lyr.mid_a import service
from lyr.base import core
