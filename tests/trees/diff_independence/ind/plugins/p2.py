from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .p1 import X
