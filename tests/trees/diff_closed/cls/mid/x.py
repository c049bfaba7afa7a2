from cls.base import q
