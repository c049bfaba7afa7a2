from fbd.db import models
