def call():
    from ext.helpers import net

    return net
