from ..repo import DATA
