from fbd.helpers import clean
from . import views as _views  # within the source: not a violation by itself
