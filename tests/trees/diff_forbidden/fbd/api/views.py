from fbd.db import models
from ..helpers import deep
import fbd.db.models


def view():
    import fbd.db.models

    return models, deep
