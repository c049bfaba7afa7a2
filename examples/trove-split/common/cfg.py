CONF = {}
