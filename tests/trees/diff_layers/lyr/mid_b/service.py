from lyr.base import core
