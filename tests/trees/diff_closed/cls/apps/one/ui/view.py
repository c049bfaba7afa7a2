from .. import svc
