from plug.alpha import first
from plug.beta import second


def run() -> int:
    return first.value() + second.value()
