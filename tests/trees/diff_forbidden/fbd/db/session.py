from . import models


class Session(models.Model):
    pass
