class StrOpt:
    def __init__(self, name, default=None):
        self.name, self.default = name, default


CONF = {}
