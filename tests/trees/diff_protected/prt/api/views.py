from prt.db import models
import prt.db
from prt.repo import users


def handler():
    from prt.db import models as again

    return again
