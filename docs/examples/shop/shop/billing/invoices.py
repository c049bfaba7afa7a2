"""Invoices."""

from shop.db import models
from shop.orders import service


def invoice(order_id):
    return service.find(order_id), models.Order
