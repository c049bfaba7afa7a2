from . import cyc2
