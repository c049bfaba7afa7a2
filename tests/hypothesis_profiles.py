"""Hypothesis settings for boundary-lint's property and fuzz tests.

``BOUNDARY_LINT_HYPOTHESIS_PROFILE`` picks one:

* ``default`` (CI): derandomized, so every run tries the same examples and a failure in CI
  reproduces on any machine; no deadline (an example builds a package tree and runs
  import-linter, whose time varies with the machine's load).
* ``long``: many more examples, randomized (a new sample every run), for a run by hand:
  ``BOUNDARY_LINT_HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py``.

The settings are applied per test (``@settings(profile(...))``), not loaded globally, so they
never change other tests' hypothesis settings.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

ENV_VAR = "BOUNDARY_LINT_HYPOTHESIS_PROFILE"
PROFILES = ("default", "long")

settings.register_profile(
    "boundary_lint_default",
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    print_blob=True,
)
settings.register_profile(
    "boundary_lint_long",
    parent=settings.get_profile("boundary_lint_default"),
    max_examples=5000,
    derandomize=False,
)


def profile_name() -> str:
    name = os.environ.get(ENV_VAR, "default")
    if name not in PROFILES:
        raise ValueError(f"{ENV_VAR}={name!r}: expected one of {', '.join(PROFILES)}")
    return name


def profile(default_examples: int = 200, long_examples: int = 5000) -> settings:
    """The selected profile (registered as ``boundary_lint_default`` / ``boundary_lint_long``),
    with this test's number of examples."""
    name = profile_name()
    examples = long_examples if name == "long" else default_examples
    return settings(settings.get_profile(f"boundary_lint_{name}"), max_examples=examples)
