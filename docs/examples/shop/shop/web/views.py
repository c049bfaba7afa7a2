"""Request handlers."""

from shop.db import session
from shop.orders import service


def show_order(order_id):
    return service.find(order_id), session.connect()
