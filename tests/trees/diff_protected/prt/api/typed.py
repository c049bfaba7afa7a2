from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prt.db.models import Model
