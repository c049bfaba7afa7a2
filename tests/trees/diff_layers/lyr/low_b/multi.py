from lyr.util import fan
