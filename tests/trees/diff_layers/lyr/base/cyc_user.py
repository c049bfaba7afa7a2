from lyr.util import cyc1
