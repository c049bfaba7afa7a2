"""The shipped example (README's first command) shows real violations of each kind."""

import subprocess
import sys

from conftest import ROOT

EXAMPLE = ROOT / "examples" / "trove-split"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "boundary_lint", "check", *args],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        check=False,
    )


def test_example_reports_each_kind_of_violation() -> None:
    result = run("--format", "concise", "--contract", "guest-never-core", "--contract", "common-standalone")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        'common/notification.py:3:1: BND101 common.notification -> trove.taskmanager.api (l.3) breaks "common imports neither the guest agent nor Trove\'s core" (common-standalone)',
        'troveguest/api.py:4:1: BND101 troveguest.api -> trove.instance.models (l.4) breaks "The guest agent never imports Trove\'s core" (guest-never-core); instructions: Move what the guest agent needs into common, or ask Trove over RPC; see README.md (the blueprint).',
        # indirect, through common
        'troveguest/backup.py:3:1: BND102 troveguest.backup -> common.notification (l.3) -> trove.taskmanager.api (l.3) breaks "The guest agent never imports Trove\'s core" (guest-never-core); instructions: Move what the guest agent needs into common, or ask Trove over RPC; see README.md (the blueprint).',
        # inside a function
        'troveguest/datastore/manager.py:8:9: BND101 troveguest.datastore.manager -> trove.taskmanager.api (l.8) breaks "The guest agent never imports Trove\'s core" (guest-never-core); instructions: Move what the guest agent needs into common, or ask Trove over RPC; see README.md (the blueprint).',
        # under TYPE_CHECKING
        'troveguest/service.py:6:5: BND101 troveguest.service -> trove.instance.models (l.6) breaks "The guest agent never imports Trove\'s core" (guest-never-core); instructions: Move what the guest agent needs into common, or ask Trove over RPC; see README.md (the blueprint).',
    ]


def test_noqa_in_example_is_counted_and_can_be_disabled() -> None:
    import json

    counted = json.loads(run("--format", "json", "--contract", "guest-never-core").stdout)
    assert counted["summary"]["suppressed"] == 1
    disabled = run("--format", "concise", "--contract", "guest-never-core", "--disable-noqa")
    assert (
        'troveguest/status.py:1:1: BND101 troveguest.status -> trove (l.1) breaks "The guest agent never imports Trove\'s core" (guest-never-core); instructions: Move what the guest agent needs into common, or ask Trove over RPC; see README.md (the blueprint).'
        in disabled.stdout.splitlines()
    )
