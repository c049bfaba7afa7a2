"""Formatting."""

from shop.db import models


def money(order):
    return f"{order!r} {models.Order.__name__}"
