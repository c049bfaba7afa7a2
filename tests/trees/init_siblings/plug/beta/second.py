from plug.core.base import ONE


def value() -> int:
    return ONE + 1
