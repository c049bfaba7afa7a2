from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cls.low.b import Thing
