"""Named judges a scenario check can use (`judge = "trajectory"` in exercise.toml), and
helpers for judges written in an exercise's checks.py."""

from __future__ import annotations

from typing import Callable

import numpy as np

from tutor.grader.compare import Mismatch, compare_plain, fmt_array
from tutor.grader.context import JudgeContext

Judge = Callable[[object, object, JudgeContext], object]


def equal(rtol: float | None = None, atol: float | None = None) -> Judge:
    """The learner's result equals the oracle's, structure and numbers (within tolerance)."""

    def judge(got, expected, jc):
        return compare_plain(got, expected, rtol=rtol, atol=atol)

    return judge


def first_divergence(got: np.ndarray, expected: np.ndarray, rtol: float, atol: float):
    """(row, column) of the first row where two trajectories part, or None."""
    bad = ~np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=False)
    rows = np.flatnonzero(bad.any(axis=1))
    if not rows.size:
        return None
    row = int(rows[0])
    col = int(np.argmax(np.where(bad[row], np.abs(got[row] - expected[row]), -1.0)))
    return row, col


def trajectory(rtol: float = 1e-5, atol: float = 1e-8, what: str = "parameter") -> Judge:
    """For scenarios returning {"steps": [...], "trajectory": (snapshots × values), ...}: says at
    which step and coordinate the learner's path first leaves the oracle's; other keys must
    then agree too. The check names the mistake (nearest known variant) itself."""

    def judge(got, expected, jc):
        traj, want = got.get("trajectory"), expected["trajectory"]
        if not isinstance(traj, np.ndarray) or traj.shape != want.shape:
            return Mismatch(f"expected {want.shape[0]} snapshots of {want.shape[1]} numbers, got {fmt_array(traj)}")
        where = first_divergence(traj, want, rtol, atol)
        if where is None:
            for key, value in expected.items():
                if key in ("trajectory", "steps"):
                    continue
                m = compare_plain(got.get(key), value, what=key, rtol=rtol, atol=atol, check_dtype=False)
                if m:
                    return m
            return None
        row, col = where
        step = expected["steps"][row]
        e, g, start = want[row, col], traj[row, col], want[0, col]
        first = f"after step {step}" if step else "before the first step (you changed the starting values)"
        msg = (f"{first}, {what} coordinate {col} (it started at {start:.6g}) is {g:.8g} but the reference gives "
               f"{e:.8g} (difference {abs(g - e):.3g}; tolerance rtol={rtol:g}, atol={atol:g})")
        if row > 1:
            msg += f"; all coordinates agreed up to step {expected['steps'][row - 1]}"
        return Mismatch(msg, {"step": step, "coordinate": col, "expected": float(e), "got": float(g),
                              "expected_row": fmt_array(want[row]), "got_row": fmt_array(traj[row])})

    return judge


NAMED: dict[str, Callable[..., Judge]] = {"equal": equal, "trajectory": trajectory}
