# Two equally short ways on to db: through alt_one and through alt_two.
from . import alt_one
from . import alt_two
