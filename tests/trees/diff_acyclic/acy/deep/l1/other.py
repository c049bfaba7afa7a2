from .l2 import s
