from cls.util import u
