from inventory.db import models


def level(item):
    return models.count(item)
