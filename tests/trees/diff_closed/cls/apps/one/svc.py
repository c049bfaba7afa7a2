from . import repo
