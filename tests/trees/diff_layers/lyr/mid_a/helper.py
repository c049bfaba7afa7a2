from lyr.low_b import y
