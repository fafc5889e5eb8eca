"""Suite-wide rules: isolated dirs, warnings fail tests, nothing skips in CI, throwaway Postgres."""

from __future__ import annotations

import logging
import os
import sys
import uuid
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property runs: bounded in CI (NOVA_TEST_PROFILE=ci), long locally on demand (=long).
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("long", max_examples=5_000, deadline=None)
settings.load_profile(os.environ.get("NOVA_TEST_PROFILE", "dev"))

# Qt must never look for a display, even when a gui test is the first to import PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# python-escpos writes a capabilities pickle on import; keep it out of random temp dirs.
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(Path(".pytest_cache/escpos").resolve()))

PG_ADMIN_URL = os.environ.get("NOVA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing_service(what: str) -> None:
    """Skip locally, but fail in CI: a missing service there is a broken machine."""
    if in_ci():
        pytest.fail(f"{what} is required in CI (CI=true) but unavailable", pytrace=False)
    pytest.skip(f"{what} unavailable")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport() -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """With CI=true any skip, whatever raised it, is reported as a failure."""
    report = yield
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI is a failure: {report.longrepr}"
    return report


_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure() -> None:
    """With Qt loaded, leave without the interpreter's teardown: after a green 1,779-test run
    the process once died there (SIGSEGV) destroying Qt objects in Python's order, not Qt's —
    every result is reported by now, so the exit status is the run's own."""
    if "PySide6.QtWidgets" in sys.modules and _EXIT_STATUS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])


@pytest.fixture(autouse=True)
def _fresh_shell_prefs() -> None:
    """Each test starts with the shell's defaults (terminal mode, light theme): a window a
    test left in the back office must not open the next test's window there."""
    from desktop.ui.shell.prefs import prefs_path

    prefs_path().unlink(missing_ok=True)


@pytest.fixture(autouse=True, scope="session")
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point every platformdirs location at a temp folder: tests never touch a user's data."""
    root = tmp_path_factory.mktemp("nova-dirs")
    names = {
        "NOVA_DATA_DIR": "data",
        "NOVA_CONFIG_DIR": "config",
        "NOVA_LOG_DIR": "logs",
        "NOVA_CACHE_DIR": "cache",
    }
    saved = {k: os.environ.get(k) for k in names}
    for key, sub in names.items():
        os.environ[key] = str(root / sub)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(autouse=True)
def _fail_on_warning_logs(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """A WARNING (or worse) log record fails the test unless it is marked `allow_warnings`."""
    caplog.set_level(logging.INFO)
    yield
    if request.node.get_closest_marker("allow_warnings"):
        return
    bad = [r for r in caplog.get_records("call") if r.levelno >= logging.WARNING]
    if bad:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in bad)
        pytest.fail(f"unexpected warning log records:\n{lines}", pytrace=False)


@pytest.fixture(autouse=True)
def _no_dialog_waits_for_a_person(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal dialog's own event loop would wait for a click no test gives: the run would
    hang until the timeout. Such a dialog fails at once, naming itself; a test that means to
    answer one patches that dialog's `exec` (or the screen's `ask_*`) itself."""
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtWidgets import QDialog

    def refuse(dialog: QDialog) -> int:
        raise AssertionError(
            f"{type(dialog).__name__} {dialog.windowTitle()!r} opened and would wait for a "
            "person: patch its exec or the screen's ask_* in this test"
        )

    monkeypatch.setattr(QDialog, "exec", refuse)


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """URL of the Postgres maintenance DB; fails in CI / skips locally when unreachable."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as conn:
            conn.execute("select 1")
    except Exception as exc:  # any failure to reach it means the same thing here
        missing_service(f"Postgres at {PG_ADMIN_URL} ({exc.__class__.__name__})")
    return PG_ADMIN_URL


@pytest.fixture(scope="session")
def pg_database_factory(pg_admin_url: str) -> Iterator[object]:
    """Create throwaway databases (``nova_test_<hex>``) that are dropped at session end.

    Returns a callable: ``make() -> "postgresql+psycopg://.../nova_test_<hex>"``.
    """
    import psycopg

    created: list[str] = []

    def make() -> str:
        name = f"nova_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        base = pg_admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        return f"{base}/{name}"

    yield make
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        for name in created:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL: a temp SQLite file, or a throwaway Postgres database."""
    if request.param == "sqlite":
        return f"sqlite+pysqlite:///{tmp_path / 'server.db'}"
    factory: Callable[[], str] = request.getfixturevalue("pg_database_factory")
    return factory()


@pytest.fixture
def db_url(empty_db_url: str) -> str:
    """The same, migrated to head."""
    from migrations.runner import upgrade_server

    upgrade_server(empty_db_url)
    return empty_db_url
