def getLogger(name):
    return name
