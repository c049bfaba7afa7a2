def later():
    from acy.a import x

    return x
