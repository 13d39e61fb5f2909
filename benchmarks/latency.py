"""Grading latency: the cold CLI path against the cost of importing torch, and the warm path.

    python benchmarks/latency.py [--cold N] [--warm N]

- torch_import_s: median wall time of a fresh `python -c "import torch"` (the floor of any
  grading that runs torch code in a fresh process), interleaved with the cold checks.
- cold_check_s: median wall time of a fresh `tutor check chapter4/softmax` process, solved
  file, reference results already cached on disk (as after a learner's first check).
- warm_check_s: median wall time of `Session.check([chapter4/softmax])` through the warm
  session the TUI and `tutor watch` use (Session.open_warm): a zygote with torch imported
  waits in its sandbox, this process has torch imported. Before each re-check the file is
  saved again, as between two saves of a learner; the timing covers the whole grading (a
  fork of the zygote, the child, reference from cache, judging, progress record).
- first_check_s: median time from the start of that re-check to the child's "check 0
  started": the cost of handing a job to a warm zygote (fork, namespaces, files, lock-down,
  importing the learner's module).
- chapter4_s: median wall time of a warm `Session.check` of all of chapter 4.

Every figure is printed with the isolation the gradings ran under (`full`: bwrap). The last
line printed is one JSON object with the medians (seconds) and the isolation.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXERCISE = "chapter4/softmax"


def timed(cmd: list[str], **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


def make_workspace(base: Path, env: dict) -> Path:
    ws = base / "ws"
    subprocess.run([sys.executable, "-m", "tutor", "init", str(ws)], check=True, env=env, stdout=subprocess.DEVNULL)
    reference = ROOT / "tutor" / "lessons" / "chapter4" / "softmax" / "reference.py"
    (ws / "chapter4" / "softmax.py").write_text(reference.read_text())
    return ws


def cold_checks(ws: Path, env: dict, n: int) -> tuple[list[float], list[float]]:
    """(torch imports, cold checks), interleaved so that both see the same machine load."""
    check = [sys.executable, "-m", "tutor", "check", EXERCISE, "--workspace", str(ws)]
    subprocess.run(check, check=True, env=env, stdout=subprocess.DEVNULL)  # fills the reference cache
    imports, checks = [], []
    for _ in range(n):
        imports.append(timed([sys.executable, "-c", "import torch"]))
        checks.append(timed(check, env=env))
    return imports, checks


def warm_checks(ws: Path, n: int) -> tuple[list[float], list[float], list[float], str]:
    from tutor.engine.workspace import Workspace
    from tutor.grader.session import Session

    workspace = Workspace(ws)
    session = Session.open_warm(workspace)
    ex = session.catalog.exercise(EXERCISE)
    chapter = [e for e in session.catalog.exercises if e.chapter == "chapter4"]
    for other in chapter:  # every chapter-4 exercise solved, so each grading runs all its checks
        (ws / other.workspace_path).write_text(other.reference_path.read_text())
    path = workspace.learner_file(ex)
    first_started: list[float] = []

    def on_event(kind, payload):
        if kind == "check_started" and payload.get("index") == 0 and not first_started[-1]:
            first_started[-1] = time.perf_counter()

    try:
        session.grader.pool.wait_ready(300)
        first = session.check(chapter)  # the first check also warms this process (torch, checks modules)
        assert all(str(r.verdict) == "pass" for r in first.results), first.results
        times, starts, chapters = [], [], []
        for _ in range(n):
            path.write_text(path.read_text())  # a save
            time.sleep(0.2)  # a learner's pause between saves
            first_started.append(0.0)
            started = time.perf_counter()
            report = session.check([ex], on_event=on_event)
            times.append(time.perf_counter() - started)
            starts.append(first_started[-1] - started)
            assert str(report.results[0].verdict) == "pass"
        for _ in range(max(3, n // 5)):
            time.sleep(0.2)
            started = time.perf_counter()
            report = session.check(chapter)
            chapters.append(time.perf_counter() - started)
            assert all(str(r.verdict) == "pass" for r in report.results)
        return times, starts, chapters, report.results[0].isolation
    finally:
        session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cold", type=int, default=5, help="cold checks (fresh processes)")
    parser.add_argument("--warm", type=int, default=20, help="warm re-checks")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tutor-latency-") as tmp:
        env = dict(os.environ, TUTOR_CACHE_DIR=str(Path(tmp) / "cache"))
        os.environ["TUTOR_CACHE_DIR"] = env["TUTOR_CACHE_DIR"]
        ws = make_workspace(Path(tmp), env)
        torch_import, cold = cold_checks(ws, env, args.cold)
        warm, first, chapter, isolation = warm_checks(ws, args.warm)

    def show(name, xs):
        print(f"{name:>16}: median {statistics.median(xs):.3f} s  min {min(xs):.3f}  max {max(xs):.3f}  (n={len(xs)})")

    print(f"isolation: {isolation}")
    show("import torch", torch_import)
    show("cold check", cold)
    show("warm re-check", warm)
    show("to first check", first)
    show("chapter 4, warm", chapter)
    print(f"cold / torch import = {statistics.median(cold) / statistics.median(torch_import):.2f}")
    print(json.dumps({"isolation": isolation,
                      "torch_import_s": round(statistics.median(torch_import), 3),
                      "cold_check_s": round(statistics.median(cold), 3),
                      "warm_check_s": round(statistics.median(warm), 3),
                      "first_check_s": round(statistics.median(first), 3),
                      "chapter4_s": round(statistics.median(chapter), 3)}))


if __name__ == "__main__":
    main()
