"""Helpers for tests that run `nova` as a real process."""

from __future__ import annotations

import subprocess
import time

import httpx


def wait_until_ready(url: str, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    """Poll `url/ready` until 200; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{url}/ready", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr else ""
            raise AssertionError(f"process exited with {proc.returncode}: {err[-2000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} was not ready within {timeout}s")
        time.sleep(0.1)


def stop(proc: subprocess.Popen[str]) -> None:
    """Kill `proc` if a failed assertion left it running."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()
