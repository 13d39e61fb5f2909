"""`tutor instructor new`: lay out a new exercise folder for an author to fill in."""

from __future__ import annotations

import re
from pathlib import Path

from tutor.engine.catalog import CHAPTER_DIR, SLUG
from tutor.engine.errors import TargetError

EXERCISE_TOML = '''# An exercise in tutor's lesson format (v2): see docs/AUTHORING.md.
format = 2
title = "{title}"
order = {order}
section = "AUTHOR: the book section, e.g. D2L 4.1"
functions = ["{function}"]
# bans = ["GROUP"]          # ban groups: every alias of a shortcut (tutor.engine.bans)
time_limit_s = 10           # CPU seconds per check
memory_limit_mb = 2048
hints = [
  "AUTHOR: where to start (the concept).",
  "AUTHOR: the shape of the computation.",
  "AUTHOR: nearly the answer for the hardest line.",
]

[diagnoses]
"{slug}.example_mistake" = "AUTHOR: the misconception, in the learner's words."

[[checks]]
id = "lesson_example"
title = "AUTHOR: the lesson's small example"
inputs.X = {{ gen = "tensor", value = [[1.0, 2.0], [3.0, 4.0]] }}

[[checks]]
id = "random_batch"
title = "a seeded random batch"
inputs.X = {{ gen = "randn", shape = [8, 5] }}
'''

STARTER = '''import torch


def {function}(X: torch.Tensor) -> torch.Tensor:
    """AUTHOR: what it returns."""
    raise NotImplementedError("{function}: write me")
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
    m = re.fullmatch(r"(chapter[0-9]+|engineering)/([a-z][a-z0-9_]*)", exercise_id)
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
    return (f"created {folder}\nfill in lesson.md, exercise.toml (every AUTHOR: placeholder), reference.py, at least "
            f"two solutions/ and a mutant per diagnosis in mutants/, then run "
            f"`tutor instructor validate {pack} -t {exercise_id}`")
