def load():
    from fbd.db import models

    return models
