from . import s
