# Two equally short ways to top.
from . import alt1, alt2
