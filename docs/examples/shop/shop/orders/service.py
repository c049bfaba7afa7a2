"""Orders."""

from shop.db import models


def find(order_id):
    return models.Order(order_id)
