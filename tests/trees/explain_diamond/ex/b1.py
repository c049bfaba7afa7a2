from ex import c


def again() -> object:
    from ex import c

    return c
