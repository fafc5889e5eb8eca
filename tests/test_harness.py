"""The suite's own rules hold: warnings fail, dirs are isolated."""

from __future__ import annotations

import logging
import os

import pytest

from shared.paths import app_dirs


def test_platform_dirs_point_into_a_temp_folder() -> None:
    dirs = app_dirs()
    assert "nova-dirs" in str(dirs.data)
    assert os.environ["NOVA_DATA_DIR"] == str(dirs.data)


@pytest.mark.allow_warnings
def test_marked_tests_may_log_warnings() -> None:
    logging.getLogger("nova.test").warning("expected")
