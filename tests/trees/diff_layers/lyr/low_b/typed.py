from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lyr.mid_a.service import other
