import trove  # noqa: BND101 - reviewed: only reads trove.__doc__ for the banner


def banner():
    return trove.__doc__
