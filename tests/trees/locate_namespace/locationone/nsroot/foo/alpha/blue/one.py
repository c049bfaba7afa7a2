import itertools

from . import two
