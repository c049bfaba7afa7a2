from fbd.helpers import fanout
from fbd.helpers import lazy
