import fbd.db.session
