from cls.base import q
from cls.low import b
