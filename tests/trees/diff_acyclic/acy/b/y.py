from ..c import z
