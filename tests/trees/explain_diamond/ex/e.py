
from ex import c
