import fbd.db
import fbd.cache
