from . import data
from lyr.apps.two import ui
