"""Request schemas."""
