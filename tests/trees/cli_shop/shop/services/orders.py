from shop.db import models
from shop.api import schemas  # noqa: E501 - another code: does not hide BND111

TABLES = [models, schemas]
