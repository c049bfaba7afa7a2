import typing

if typing.TYPE_CHECKING:
    from ind.gamma import relay
