import prt.db
