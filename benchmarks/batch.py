"""Batch grading speed: `tutor grade` over a class of chapter-4 workspaces.

    python benchmarks/batch.py [--students 40] [--jobs 1,2] [--keep DIR]

The class is deterministic: student k gets, for softmax and for cross_entropy, one of the
lesson's solutions, one of its known wrong variants (mutants), a syntax error, a runtime
error or the untouched starter, cycling so that every kind appears; every fifth student's
softmax is a hostile file from tests/redteam (a crash, a 200 MB print flood, forged results,
monkeypatched comparisons, reading the reference, ...). None loops forever.
Each run is a fresh `tutor grade SUBMISSIONS --jobs N --force` process (interpreter start,
imports and the parent's torch included). A first run fills the reference cache (the
reference's and the known wrong variants' results, as after an instructor's first run) and is
reported as first_run_s; the timed runs follow. Every gradebook is checked against the
expected verdicts.
A last run without --force measures a re-run where nobody changed anything.

Prints one line per run and, as its last line, one JSON object:
  students, jobs<N>_s, jobs<N>_per_min (students per minute), jobs<N>_cpu_s (CPU time of the
  whole process tree: steadier than wall time on a shared machine), rerun_s, gradings
  (learner files that need a worker), load_avg_1m at start, goal_120_per_min.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "tutor" / "lessons" / "chapter4"
REDTEAM = ROOT / "tests" / "redteam" / "submissions"
# Hostile softmax files that end on their own (no endless loop, no sleep): crashes, floods,
# forgeries, monkeypatching, reading the reference, importing the grader.
HOSTILE = ("os_exit", "print_flood", "monkeypatch_comparisons", "segfault_ctypes", "eq_always_true",
           "import_grader", "sys_exit_at_import", "torch_function_subclass", "forged_stdout", "read_reference_file")
EXERCISES = ("softmax", "cross_entropy")
SYNTAX_ERROR = "import torch\n\ndef {name}(X, *rest):\n    return X +\n"
RUNTIME_ERROR = "import torch\n\ndef {name}(X, *rest):\n    return X[None, None, None, :, 99]\n"


def variants(slug: str) -> list[tuple[str, str, str]]:
    """(kind, text, expected exercise verdict) for one exercise, in a fixed order."""
    folder = LESSONS / slug
    out = []
    for path in sorted((folder / "solutions").glob("*.py")):
        out.append(("correct", path.read_text(), "pass"))
    for path in sorted((folder / "mutants").glob("*.py")):
        header = path.read_text().splitlines()[:15]
        verdict = next((line.split(":", 1)[1].strip() for line in header if line.startswith("# verdict:")), "fail")
        out.append(("wrong", path.read_text(), verdict))
    out.append(("starter", (folder / "starter.py").read_text(), "not_started"))
    out.append(("syntax", SYNTAX_ERROR.format(name=slug), "error"))
    out.append(("runtime", RUNTIME_ERROR.format(name=slug), "error"))
    return out


def hostile(name: str) -> tuple[str, str, str]:
    text = (REDTEAM / f"{name}.py").read_text()
    header = text.splitlines()[:6]
    line = next(h for h in header if h.startswith("# verdict:"))
    verdict = line.split(":", 1)[1].split("(")[0].strip()
    alternatives = line.split("alternatives:", 1)[1].rstrip(") ").strip() if "alternatives:" in line else ""
    return "hostile", text, "|".join(v for v in [verdict, *alternatives.split("|")] if v)


def make_class(root: Path, n: int, env: dict, with_hostile: bool = True) -> dict[str, dict[str, str]]:
    """n workspaces; returns the expected verdict per student and exercise. Every fifth
    student's softmax is a hostile file (with --no-hostile, a variant like the others)."""
    subprocess.run([sys.executable, "-m", "tutor", "init", str(root / "template")], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    template = root / "template"
    expected: dict[str, dict[str, str]] = {}
    pools = {slug: variants(slug) for slug in EXERCISES}
    for k in range(n):
        name = f"student{k:03d}"
        ws = root / name
        shutil.copytree(template, ws, ignore=shutil.ignore_patterns(".tutor"))
        expected[name] = {}
        for j, slug in enumerate(EXERCISES):
            pool = pools[slug]
            # Every third student leaves an exercise as the starter; the rest cycle through the variants.
            kind, text, verdict = pool[-3] if (k + j) % 3 == 2 else pool[(k * 7 + j * 3) % len(pool)]
            if with_hostile and slug == "softmax" and k % 5 == 4:
                kind, text, verdict = hostile(HOSTILE[(k // 5) % len(HOSTILE)])
            (ws / "chapter4" / f"{slug}.py").write_text(text)
            expected[name][f"chapter4/{slug}"] = verdict
    shutil.rmtree(template)
    return expected


def grade(root: Path, env: dict, jobs: int, out: Path, force: bool = True) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the whole process tree)."""
    cmd = [sys.executable, "-m", "tutor", "grade", str(root), "chapter4", "--jobs", str(jobs), "-o", str(out)]
    if force:
        cmd.append("--force")
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if proc.returncode not in (0, 1):
        sys.exit(f"tutor grade failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed, cpu


def verdicts(path: Path) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO(path.read_text()))
    return {r["student"]: {f"chapter4/{s}": r[f"chapter4/{s}:verdict"] for s in EXERCISES} for r in rows}


def agrees(got: dict | None, want: dict) -> bool:
    """A mutant declares the verdict it must get at least as bad as (forbidden < ... < fail)."""
    from tutor.engine.verdicts import Verdict

    if got is None or set(got) != set(want):
        return False
    for ex, verdict in want.items():
        if "|" in verdict or verdict in ("crash", "forbidden"):  # a hostile file: its own verdict
            if got[ex] not in verdict.split("|"):
                return False
        elif verdict in ("pass", "not_started", "error"):
            if got[ex] != verdict:
                return False
        elif got[ex] not in [v.value for v in Verdict] or Verdict(got[ex]).severity > Verdict(verdict).severity:
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", default="1,2", help="comma-separated job counts to time")
    parser.add_argument("--keep", type=Path, help="build the class here and keep it")
    parser.add_argument("--no-hostile", action="store_true", help="no hostile files in the class")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="tutor-batch-bench-"))
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TUTOR_LESSONS")}
    env.update(TUTOR_CACHE_DIR=str(base / "cache"), TUTOR_STATE_DIR=str(base / "state"))
    root = args.keep or base / "class"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    load = os.getloadavg()[0]
    try:
        expected = make_class(root, args.students, env, with_hostile=not args.no_hostile)
        gradings = sum(v != "not_started" for s in expected.values() for v in s.values())
        # A first run computes the reference results and the known wrong variants' results once
        # (on disk afterwards, as after an instructor's first run); it is reported, not compared.
        job_counts = [int(j) for j in args.jobs.split(",")]
        first, first_cpu = grade(root, env, max(job_counts), base / "first.csv")
        print(f"first run (references computed), --jobs {max(job_counts)}: {first:.1f} s, {first_cpu:.0f} CPU s")
        figures: dict[str, object] = {"students": args.students, "first_run_s": round(first, 2)}
        for jobs in job_counts:
            out = base / f"jobs{jobs}.csv"
            load_now = os.getloadavg()[0]
            elapsed, cpu = grade(root, env, jobs, out)
            got = verdicts(out)
            wrong = {s: (got.get(s), want) for s, want in expected.items() if not agrees(got.get(s), want)}
            if wrong:
                sys.exit(f"gradebook differs from the expected verdicts: {json.dumps(wrong, indent=1)[:3000]}")
            rate = args.students / elapsed * 60
            figures[f"jobs{jobs}_s"] = round(elapsed, 2)
            figures[f"jobs{jobs}_per_min"] = round(rate, 1)
            figures[f"jobs{jobs}_cpu_s"] = round(cpu, 1)
            print(f"--jobs {jobs}: {args.students} students in {elapsed:.1f} s = {rate:.0f} students/min, "
                  f"{cpu:.0f} CPU s, load average {load_now:.1f} at start (verdicts right)")
        rerun, _ = grade(root, env, 2, base / "rerun.csv", force=False)
        figures["rerun_s"] = round(rerun, 2)
        print(f"re-run, nothing changed: {rerun:.1f} s")
        figures["gradings"] = gradings
        figures["load_avg_1m"] = round(load, 2)
        best = max(v for k, v in figures.items() if k.endswith("_per_min"))
        figures["goal_120_per_min"] = best >= 120
        print(json.dumps(figures))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
