"""The report's JSON encoder writes exactly what ``json.dumps(value, indent=2)`` writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boundary_lint.formatters.indented_json import dumps

SHARED_HOP: dict[str, Any] = {"importer": "a", "imported": "b", "lines": [1, 2]}

CASES: list[Any] = [
    {},
    [],
    'é\n"%s',
    {"%s": "%d", "a": [1, 2.5, None, True, False, -3], "b": {}, "c": []},
    [[], {}, [[]], [{}], (1, 2)],
    {"x": float("nan"), "y": float("inf"), "z": 10**30},
    # One container at two depths, and twice at one depth: each spelled at its own depth.
    {"chain": [SHARED_HOP, SHARED_HOP], "deeper": [[SHARED_HOP]], "again": SHARED_HOP},
]


@pytest.mark.parametrize("value", CASES)
def test_as_json_dumps(value: Any) -> None:
    assert dumps(value) == json.dumps(value, indent=2)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)


@given(json_values)
def test_any_value_as_json_dumps(value: Any) -> None:
    assert dumps(value) == json.dumps(value, indent=2)
