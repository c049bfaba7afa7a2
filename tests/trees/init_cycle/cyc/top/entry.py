from cyc.low import worker
from cyc.base import util


def main() -> None:
    from cyc.low.worker import run

    worker.run(util.VALUE)
    run(0)
