"""How many wrong answers get a named diagnosis. Grades tests/diagnosis_corpus (wrong answers
written the way learners write them) and prints the rate per exercise and overall.

    python benchmarks/diagnosis_rate.py [--jobs 2] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.engine.catalog import load_catalog  # noqa: E402
from tutor.grader.corpus import grade_corpus, rate  # noqa: E402
from tutor.grader.grade import Grader  # noqa: E402
from tutor.grader.warm_imports import for_exercises  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "diagnosis_corpus")
    args = parser.parse_args()
    started = time.perf_counter()
    catalog = load_catalog()
    preload = for_exercises(catalog.exercises)  # as `tutor grade` and validate warm their workers
    with tempfile.TemporaryDirectory(prefix="tutor-diagnosis-rate-") as cache:
        graded = grade_corpus(args.corpus, catalog, lambda: Grader(cache_dir=Path(cache), preload=preload),
                              jobs=args.jobs)
    by_exercise: dict[str, list] = {}
    for g in graded:
        by_exercise.setdefault(g.exercise, []).append(g)
    for exercise, items in by_exercise.items():
        counted = [g for g in items if g.counted]
        named = sum(g.diagnosed for g in counted)
        print(f"{exercise:34s} {named}/{len(counted)} diagnosed ({len(items) - len(counted)} not 'fail')")
        for g in items:
            if g.counted and not g.diagnosed:
                print(f"    no name: {g.file} ({g.mistake})")
    counted = [g for g in graded if g.counted]
    summary = {"submissions": len(graded), "wrong_answers": len(counted), "diagnosed": sum(g.diagnosed for g in counted),
               "rate": round(rate(graded), 3), "seconds": round(time.perf_counter() - started, 1)}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
