# Through the closed layer: allowed.
from cls.mid import m
