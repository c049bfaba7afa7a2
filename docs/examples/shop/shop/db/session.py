"""Database sessions."""

from shop.util import helpers


def connect():
    return helpers.label("db")
