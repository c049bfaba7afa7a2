"""Trove core services."""
