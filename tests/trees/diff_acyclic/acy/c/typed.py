from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from acy.d import w
