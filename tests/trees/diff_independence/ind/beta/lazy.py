def later():
    import ind.alpha.core

    return ind.alpha.core
