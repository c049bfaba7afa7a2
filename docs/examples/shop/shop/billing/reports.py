"""Reports."""

from shop.util import totals


def monthly():
    return totals.total([])
