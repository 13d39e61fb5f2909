"""Paths the tests share. A module of its own: `from conftest import …` is ambiguous once
more than one directory has a conftest.py, and pytest may resolve it to the wrong one."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_PACK = ROOT / "tests" / "fixtures" / "pack"
LESSONS = ROOT / "tutor" / "lessons"
