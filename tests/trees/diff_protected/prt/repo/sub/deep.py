from prt.db.internal import engine
