from . import cyc_a
import fbd.cache.store
