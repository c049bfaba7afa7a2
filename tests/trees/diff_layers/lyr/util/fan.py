import lyr.mid_b.service
import lyr.top
