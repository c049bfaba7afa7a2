from ex import b1
from ex import b2
from ex import d
