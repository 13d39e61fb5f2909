"""What validating the catalog costs, exercise by exercise: the CPU seconds its gradings spent in
the learner's child (what the limits count) and the wall time of its validation. The test suite
validates the whole catalog once per session, so this is where its time goes.

    python benchmarks/validation_cost.py [--jobs 2] [--top 20] [-t chapterN[/slug] ...]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.engine.catalog import load_catalog  # noqa: E402
from tutor.grader.grade import Grader  # noqa: E402
from tutor.grader.validate import validate_exercise  # noqa: E402
from tutor.grader.warm_imports import for_exercises  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--top", type=int, default=20, help="list the costliest N exercises")
    parser.add_argument("--cold", action="store_true", help="workers import nothing ahead (no warm_imports)")
    parser.add_argument("-t", "--target", action="append", default=[], help="a chapter or exercise id")
    args = parser.parse_args()
    catalog = load_catalog()
    exercises = [ex for ex in catalog.exercises
                 if not args.target or any(ex.id == t or ex.chapter == t for t in args.target)]
    local = threading.local()
    graders: list[Grader] = []
    lock = threading.Lock()

    def one(ex):
        if not hasattr(local, "grader"):
            # A reference cache as the test suite has: each check's expected values computed once.
            local.grader = Grader(cache_dir=Path(cache), preload=preload)
            with lock:
                graders.append(local.grader)
        cpu: dict[str, float] = {}
        started = time.perf_counter()
        findings = validate_exercise(
            ex, local.grader, on_result=lambda f, r: cpu.__setitem__(f, cpu.get(f, 0.0) + sum(c.cpu_s for c in r.checks)))
        took = time.perf_counter() - started
        print(f"  {ex.id}: {sum(cpu.values()):.1f} CPU s, {took:.1f} s", file=sys.stderr, flush=True)
        return ex.id, took, cpu, all(f.ok for f in findings)

    cache = tempfile.mkdtemp(prefix="tutor-validation-cost-")
    preload = () if args.cold else for_exercises(exercises)
    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            rows = list(pool.map(one, exercises))
    finally:
        for g in graders:
            g.close()
        shutil.rmtree(cache, ignore_errors=True)
    wall = time.perf_counter() - started
    rows.sort(key=lambda r: -sum(r[2].values()))
    total_cpu = sum(sum(r[2].values()) for r in rows)
    print(f"{'exercise':34s} {'files':>5s} {'child CPU s':>11s} {'wall s':>7s}  costliest file")
    for ex_id, ex_wall, cpu, ok in rows[:args.top]:
        worst = max(cpu, key=cpu.get) if cpu else "-"
        print(f"{ex_id:34s} {len(cpu):5d} {sum(cpu.values()):11.1f} {ex_wall:7.1f}  {worst} ({cpu.get(worst, 0):.1f} s)"
              + ("" if ok else "  [findings not ok]"))
    print(f"{len(rows)} exercises, {sum(len(r[2]) for r in rows)} files: {total_cpu:.1f} CPU s in learner children, "
          f"{time.process_time():.1f} CPU s in this process (references, judging), {wall:.1f} s wall with --jobs {args.jobs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
