"""Forms."""

from shop.util import fmt


def order_form(order):
    return fmt.money(order)
