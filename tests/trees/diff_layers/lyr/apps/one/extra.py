from .ui import logic
