from . import cyc_b
