from . import cyc1
from ind.plugins import p1
