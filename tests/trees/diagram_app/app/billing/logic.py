from app.billing import api
from app.orders import db
