from fbd.helpers import direct_db
