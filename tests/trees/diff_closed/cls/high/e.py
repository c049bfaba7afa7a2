import cls.base.q
