"""Small terminal charts of streamed training curves (learner vs reference)."""

from __future__ import annotations

import math

from rich.text import Text

from tutor.grader.results import ExerciseResult

BLOCKS = "▁▂▃▄▅▆▇█"


def _finite(v: float) -> bool:
    return v == v and v not in (float("inf"), float("-inf"))


def use_log_scale(values: list[float], ratio: float = 20.0) -> bool:
    """A loss curve that falls over more than `ratio`× reads better on a log scale."""
    finite = [v for v in values if _finite(v)]
    return bool(finite) and min(finite) > 0 and max(finite) / min(finite) > ratio


def sparkline(values: list[float], width: int = 48, lo: float | None = None, hi: float | None = None,
              log: bool = False) -> str:
    """One block character per column; `log=True` spaces the levels logarithmically (positive data)."""
    if not values:
        return ""
    if len(values) > width:
        step = len(values) / width
        values = [values[int(i * step)] for i in range(width)]
    finite = [v for v in values if _finite(v)]
    lo = (min(finite) if finite else 0.0) if lo is None else lo
    hi = (max(finite) if finite else 1.0) if hi is None else hi
    log = log and lo > 0 and hi > 0
    scale = math.log if log else (lambda x: x)
    span = (scale(hi) - scale(lo)) or 1.0
    out = []
    for v in values:
        if not _finite(v):
            out.append("×")
            continue
        clipped = min(max(v, lo), hi)
        level = int((scale(clipped) - scale(lo)) / span * (len(BLOCKS) - 1))
        out.append(BLOCKS[level])
    return "".join(out)


def training_charts(result: ExerciseResult) -> list[Text]:
    charts = []
    for check in result.checks:
        if not check.series:
            continue
        curves = {role: pts for role, by_series in check.series.items() for name, pts in by_series.items() if pts}
        if not curves:
            continue
        finite = [v for pts in curves.values() for _, v in pts if _finite(v)]
        lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
        log = use_log_scale(finite)
        steps = [s for pts in curves.values() for s, _ in pts]
        span = f", steps {min(steps):g}–{max(steps):g}" if steps else ""
        text = Text(f"  {check.name}: loss {hi:.4g} → {lo:.4g}{span}{' (log scale)' if log else ''}\n", style="bold")
        for role in ("learner", "reference"):
            pts = curves.get(role)
            if pts:
                label = "yours    " if role == "learner" else "reference"
                text.append(f"    {label} ")
                text.append(sparkline([v for _, v in pts], lo=lo, hi=hi, log=log),
                            style="cyan" if role == "learner" else "green")
                text.append(f"  last {pts[-1][1]:.4g}\n")
        charts.append(text)
    return charts
