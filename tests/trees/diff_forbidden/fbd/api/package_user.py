from fbd.helpers import pkg_user
