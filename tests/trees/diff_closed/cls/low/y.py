def up():
    from cls.high import a

    return a
