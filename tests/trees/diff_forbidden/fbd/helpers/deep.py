from .fanout import alt_one
