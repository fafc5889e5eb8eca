"""GUI test rules: real widgets offscreen, and no QThread may outlive its test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication


@pytest.fixture(autouse=True)
def _no_dangling_threads(qapp: QApplication) -> Iterator[None]:
    """A QThread still running at teardown crashes the run (exit 134): fail the test instead."""
    yield
    running = [t for t in qapp.findChildren(QThread) if t.isRunning()]
    assert not running, f"QThreads still running after the test: {running}"
