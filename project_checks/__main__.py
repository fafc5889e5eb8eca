"""Run every project check; exit 1 listing the problems found."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

import project_checks

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    problems: list[str] = []
    for info in sorted(pkgutil.iter_modules(project_checks.__path__), key=lambda m: m.name):
        if info.name.startswith("check_"):
            module = importlib.import_module(f"project_checks.{info.name}")
            problems += [f"{info.name}: {p}" for p in module.run(ROOT)]
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"project checks: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
