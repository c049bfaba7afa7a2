"""Imports nothing of the package, and nothing imports it."""

import os

NAME = os.sep
