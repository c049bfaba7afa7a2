import cyc
from cyc.base import util


def run(value: int) -> int:
    from cyc.mid import service

    return value + util.VALUE + (0 if service else 1)


def entry() -> object:
    return cyc.main
