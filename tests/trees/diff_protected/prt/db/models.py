from .internal import engine
