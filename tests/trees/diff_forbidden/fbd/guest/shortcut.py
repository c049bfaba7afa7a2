import fbd.cache
