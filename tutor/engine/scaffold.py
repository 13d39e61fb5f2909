"""`tutor instructor new`: lay out a new exercise folder for an author to fill in."""

from __future__ import annotations

import re
from pathlib import Path

from tutor.engine.catalog import CHAPTER_DIR, SLUG
from tutor.engine.errors import TargetError

EXERCISE_TOML = '''title = "{title}"
order = {order}
section = ""
functions = ["{function}"]
banned = []
time_limit_s = 10
memory_limit_mb = 2048
compare_note = ""
hints = [
  "AUTHOR: where to start (the concept).",
  "AUTHOR: the shape of the computation.",
  "AUTHOR: nearly the answer for the hardest line.",
]

[diagnoses]
"{slug}.example_mistake" = "AUTHOR: the misconception, in the learner's words."
'''

STARTER = '''import torch


def {function}(X: torch.Tensor) -> torch.Tensor:
    """AUTHOR: what it returns."""
    raise NotImplementedError("{function}: write me")
'''

CHECKS = '''import torch

from tutor.grader.checks import ValueCheck

CHECKS = [
    ValueCheck("a small fixed example", "{function}", lambda ctx: {{"X": torch.tensor([[1.0, 2.0], [3.0, 4.0]])}}),
    ValueCheck("a seeded random batch", "{function}", lambda ctx: {{"X": torch.randn(8, 5, generator=ctx.generator())}}),
]
'''

LESSON = """# {title}

AUTHOR: the idea in two or three sentences.

## The math

## Shapes

## Your task

## Pitfalls

## Going further
"""


def new_exercise(pack: Path, exercise_id: str, function: str) -> str:
    m = re.fullmatch(r"(chapter[0-9]+)/([a-z][a-z0-9_]*)", exercise_id)
    if not m or not CHAPTER_DIR.match(m.group(1)) or not SLUG.match(m.group(2)):
        raise TargetError(f"exercise id must look like chapter7/my_exercise, got {exercise_id!r}")
    if not function.isidentifier():
        raise TargetError(f"--function must be a Python identifier, got {function!r}")
    chapter, slug = m.groups()
    chapter_dir = Path(pack) / chapter
    folder = chapter_dir / slug
    if folder.exists():
        raise TargetError(f"{folder} already exists; nothing was written")
    chapter_dir.mkdir(parents=True, exist_ok=True)
    if not (chapter_dir / "chapter.toml").exists():
        (chapter_dir / "chapter.toml").write_text(f'title = "{chapter}"\nsummary = ""\n', encoding="utf-8")
    order = 1 + sum(1 for p in chapter_dir.iterdir() if p.is_dir())
    title = slug.replace("_", " ").capitalize()
    (folder / "solutions").mkdir(parents=True)
    (folder / "mutants").mkdir()
    fill = dict(title=title, order=order, function=function, slug=slug)
    (folder / "exercise.toml").write_text(EXERCISE_TOML.format(**fill), encoding="utf-8")
    (folder / "lesson.md").write_text(LESSON.format(**fill), encoding="utf-8")
    (folder / "starter.py").write_text(STARTER.format(**fill), encoding="utf-8")
    (folder / "reference.py").write_text(STARTER.format(**fill).replace(
        f'raise NotImplementedError("{function}: write me")', "raise NotImplementedError('AUTHOR: the trusted implementation')"),
        encoding="utf-8")
    (folder / "checks.py").write_text(CHECKS.format(**fill), encoding="utf-8")
    return (f"created {folder}\nfill in lesson.md, reference.py, checks.py, solutions/ and mutants/, then run "
            f"`tutor instructor validate {pack} -t {exercise_id}`")
