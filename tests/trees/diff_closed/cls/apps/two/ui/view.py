# Container two has no svc layer at all.
from ..repo import DATA
