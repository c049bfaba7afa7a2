def count(item):
    return 0
