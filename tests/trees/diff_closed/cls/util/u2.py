from cls.mid import m
