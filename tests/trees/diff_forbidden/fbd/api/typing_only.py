from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fbd.helpers import typed
