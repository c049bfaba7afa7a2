from lyr.util import bridge
