import cls.low.b
