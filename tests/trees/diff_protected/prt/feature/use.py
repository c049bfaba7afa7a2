from .secrets import KEY
