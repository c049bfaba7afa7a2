from prt.db import models
