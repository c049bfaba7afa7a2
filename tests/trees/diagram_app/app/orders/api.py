from app.orders import logic
