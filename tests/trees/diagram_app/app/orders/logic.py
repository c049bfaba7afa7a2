from app.orders import db
import app.billing.db
