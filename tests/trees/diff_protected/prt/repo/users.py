from prt.db.models import *
