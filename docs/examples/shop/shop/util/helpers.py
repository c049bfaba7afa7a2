"""Small helpers."""

from shop.web import urls


def label(name):
    return f"{name} ({len(urls.ROUTES)} routes)"
