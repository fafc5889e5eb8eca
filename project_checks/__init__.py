"""House rules the linters cannot express, as small checks run by `./dev test`.

Each module ``check_*.py`` here defines ``run(root: Path) -> list[str]`` returning problems.
"""
