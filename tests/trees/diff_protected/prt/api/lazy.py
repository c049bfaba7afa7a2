def engine():
    from ..db.internal import engine

    return engine
