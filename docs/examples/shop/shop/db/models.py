"""Tables."""

from shop.web import urls


class Order:
    def __init__(self, order_id=None):
        self.order_id = order_id
        self.url = urls.ROUTES[0]
