"""Grading latency: the cold CLI path against the cost of importing torch, and the warm path.

    python benchmarks/latency.py [--cold N] [--warm N]

- torch_import_s: median wall time of a fresh `python -c "import torch"` (the floor of any
  grading that runs torch code in a fresh process), interleaved with the cold checks.
- cold_check_s: median wall time of a fresh `tutor check chapter4/softmax` process, solved
  file, reference results already cached on disk (as after a learner's first check).
- warm_check_s: median wall time of `Session.check([chapter4/softmax])` through the warm
  session the TUI and `tutor watch` use (Session.open_warm): a worker with torch imported
  is waiting, this process has torch imported. Before each re-check the file is saved again
  and the pool's next worker is given time to become ready, as between two saves of a
  learner; the timing covers the whole grading (child, reference from cache, judging,
  progress record).

The last line printed is one JSON object with the three medians (seconds).
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


def warm_checks(ws: Path, n: int) -> list[float]:
    from tutor.engine.workspace import Workspace
    from tutor.grader.session import Session

    workspace = Workspace(ws)
    session = Session.open_warm(workspace)
    ex = session.catalog.exercise(EXERCISE)
    path = workspace.learner_file(ex)
    try:
        session.grader.pool.wait_ready(120)
        first = session.check([ex])  # the first check also warms this process (torch, checks module)
        assert str(first.results[0].verdict) == "pass", first.results[0]
        times = []
        for _ in range(n):
            path.write_text(path.read_text())  # a save
            session.grader.pool.wait_ready(120)
            time.sleep(0.2)  # a learner's pause between saves; lets the new worker's warm-up settle
            started = time.perf_counter()
            report = session.check([ex])
            times.append(time.perf_counter() - started)
            assert str(report.results[0].verdict) == "pass"
        return times
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
        warm = warm_checks(ws, args.warm)

    def show(name, xs):
        print(f"{name:>16}: median {statistics.median(xs):.3f} s  min {min(xs):.3f}  max {max(xs):.3f}  (n={len(xs)})")

    show("import torch", torch_import)
    show("cold check", cold)
    show("warm re-check", warm)
    print(f"cold / torch import = {statistics.median(cold) / statistics.median(torch_import):.2f}")
    print(json.dumps({"torch_import_s": round(statistics.median(torch_import), 3),
                      "cold_check_s": round(statistics.median(cold), 3),
                      "warm_check_s": round(statistics.median(warm), 3)}))


if __name__ == "__main__":
    main()
