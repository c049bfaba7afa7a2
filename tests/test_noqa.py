import pytest

from boundary_lint.graph.noqa import is_suppressed


@pytest.mark.parametrize(
    ("lines", "code", "expected"),
    [
        (["import trove  # noqa"], "BND101", True),
        (["import trove  # NOQA"], "BND101", True),
        (["import trove  # noqa: BND101"], "BND101", True),
        (["import trove  # noqa:BND101,E501"], "BND101", True),
        (["import trove  # noqa: BND1"], "BND102", True),  # flake8 matches code prefixes
        (["import trove  # noqa: BND102"], "BND101", False),
        (["import trove  # noqa: E501"], "BND101", False),
        (["import trove"], "BND101", False),
        (["from trove import (", "    api,  # noqa: BND101", ")"], "BND101", True),
    ],
)
def test_noqa_follows_flake8(lines: list[str], code: str, expected: bool) -> None:
    assert is_suppressed(code, lines) is expected
