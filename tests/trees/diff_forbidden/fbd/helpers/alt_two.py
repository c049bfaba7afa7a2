from fbd.db.models import Model
