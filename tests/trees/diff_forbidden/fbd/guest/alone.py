from fbd.helpers import clean
