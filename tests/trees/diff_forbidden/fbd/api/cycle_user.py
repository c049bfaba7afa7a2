from fbd.helpers import cyc_a
