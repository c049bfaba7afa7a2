from app.billing import logic
