"""An online shop: web on top, orders and billing below it, db at the bottom."""
