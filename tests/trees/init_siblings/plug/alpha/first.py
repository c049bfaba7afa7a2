from plug.core import base


def value() -> int:
    return base.ONE
