from app.orders import api  # a database layer that calls its API
