from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import somelib.types
    from ext.helpers import typed_only
