"""A small shop: api above services above db."""
