"""Helpers that import nothing of the shop."""
