from cyc.low import worker
from cyc.base import util


def serve() -> int:
    from cyc.low import worker as again

    return worker.run(util.VALUE) + again.run(0)
