from lyr.mid_a import service
