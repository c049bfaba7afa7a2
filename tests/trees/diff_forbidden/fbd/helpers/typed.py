from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fbd.db.session import Session
