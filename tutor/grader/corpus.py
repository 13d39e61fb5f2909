"""How often a wrong answer gets a name: grade a corpus of wrong submissions, count diagnoses.

A corpus is a folder of `chapterN__slug/*.py` learner files, each a wrong answer written the way
a learner would (first line: `# mistake: what the learner did`). A submission that runs and is
wrong (verdict `fail`) counts as diagnosed when some check names its mistake; errors and
forbidden shortcuts have their own, clearer verdicts and are left out of the rate.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tutor.engine.catalog import Catalog
from tutor.grader.grade import Grader
from tutor.grader.results import Verdict


@dataclass
class Graded:
    exercise: str
    file: str
    mistake: str
    verdict: str
    diagnoses: list[str]

    @property
    def counted(self) -> bool:
        return self.verdict == Verdict.FAIL

    @property
    def diagnosed(self) -> bool:
        return bool(self.diagnoses)


def mistake_of(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[:1]
    return first[0].removeprefix("# mistake:").strip() if first and first[0].startswith("# mistake:") else ""


def corpus_files(root: Path, catalog: Catalog) -> list[tuple[str, Path]]:
    out = []
    for folder in sorted(p for p in Path(root).iterdir() if p.is_dir() and "__" in p.name):
        exercise = folder.name.replace("__", "/", 1)
        catalog.exercise(exercise)  # an unknown exercise is an error, not a silent skip
        out += [(exercise, path) for path in sorted(folder.glob("*.py"))]
    return out


def grade_corpus(root: Path, catalog: Catalog, make_grader: Callable[[], Grader], jobs: int = 2) -> list[Graded]:
    files = corpus_files(root, catalog)
    local = threading.local()
    graders: list[Grader] = []
    lock = threading.Lock()

    def one(item) -> Graded:
        exercise, path = item
        if not hasattr(local, "grader"):
            local.grader = make_grader()
            with lock:
                graders.append(local.grader)
        ex = catalog.exercise(exercise)
        with tempfile.TemporaryDirectory(prefix="tutor-corpus-") as tmp:
            target = Path(tmp) / ex.chapter / f"{ex.slug}.py"
            target.parent.mkdir(parents=True)
            shutil.copyfile(path, target)
            result = local.grader.grade(ex, target)
        names = sorted({c.diagnosis for c in result.checks if c.diagnosis})
        return Graded(exercise, path.name, mistake_of(path), str(result.verdict), names)

    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            return list(pool.map(one, files))
    finally:
        for g in graders:
            g.close()


def rate(graded: list[Graded]) -> float:
    counted = [g for g in graded if g.counted]
    return sum(g.diagnosed for g in counted) / len(counted) if counted else 1.0
