"""The rubric files (``rubrics/<version>.toml``): which there are, and each one read and checked.

A file is read once per process (the files do not change while the hall runs); a broken one
is refused with a ``RubricError`` naming the file and the item (``create_app`` loads the
configured default at start, so a broken default stops the start).
"""

from functools import cache
from pathlib import Path

from app.domain.rubric import Rubric, RubricError, parse_rubric

RUBRIC_DIR = Path(__file__).parent / "rubrics"


def versions() -> list[str]:
    """The rubric versions available, by name."""
    return sorted(path.stem for path in RUBRIC_DIR.glob("*.toml"))


@cache
def load(version: str) -> Rubric:
    path = RUBRIC_DIR / f"{version}.toml"
    if version not in versions():
        raise RubricError(f"{path.name}: no such rubric (available: {', '.join(versions())})")
    return parse_rubric(path.read_text(encoding="utf-8"), path.name)


__all__ = ["RUBRIC_DIR", "Rubric", "RubricError", "load", "versions"]
