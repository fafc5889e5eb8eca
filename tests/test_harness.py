"""The suite's own rules hold: isolated dirs, warnings fail tests, nothing skips in CI."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from shared.paths import app_dirs

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
INI = """
[pytest]
addopts = -p no:cacheprovider
qt_api = pyside6
qt_log_level_fail = WARNING
markers =
    allow_warnings: expected warnings
"""


def test_platform_dirs_point_into_a_temp_folder() -> None:
    dirs = app_dirs()
    assert "nova-dirs" in str(dirs.data)
    assert os.environ["NOVA_DATA_DIR"] == str(dirs.data)


@pytest.mark.allow_warnings
def test_marked_tests_may_log_warnings() -> None:
    logging.getLogger("nova.test").warning("expected")


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A scratch test suite that uses our real conftest."""
    pytester.makeconftest((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    pytester.makeini(INI)
    return pytester


def test_warning_log_record_fails_an_unmarked_test(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        "import logging, pytest\n"
        "def test_logs():\n"
        "    logging.getLogger('x').warning('printer offline')\n"
        "@pytest.mark.allow_warnings\n"
        "def test_allowed():\n"
        "    logging.getLogger('x').warning('expected')\n"
    )
    result = suite.runpytest_subprocess()
    result.assert_outcomes(passed=2, errors=1)  # fails at teardown: the run goes red
    result.stdout.fnmatch_lines(["unexpected warning log records:", "WARNING x: printer offline"])


def test_qt_warning_fails_a_test(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        "from PySide6.QtCore import qWarning\n"
        "def test_qt(qtbot):\n"
        "    qWarning('widget misbehaved')\n"
    )
    result = suite.runpytest_subprocess()
    result.assert_outcomes(failed=1)


def test_a_skip_is_a_failure_in_ci(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    suite.makepyfile("import pytest\ndef test_s():\n    pytest.skip('no postgres')\n")
    monkeypatch.setenv("CI", "true")
    suite.runpytest_subprocess().assert_outcomes(failed=1)
    monkeypatch.setenv("CI", "")
    suite.runpytest_subprocess().assert_outcomes(skipped=1)
