"""Small terminal charts of streamed training curves (learner vs reference)."""

from __future__ import annotations

from rich.text import Text

from tutor.grader.results import ExerciseResult

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float], width: int = 48, lo: float | None = None, hi: float | None = None) -> str:
    if not values:
        return ""
    if len(values) > width:
        step = len(values) / width
        values = [values[int(i * step)] for i in range(width)]
    lo = min(values) if lo is None else lo
    hi = max(values) if hi is None else hi
    span = (hi - lo) or 1.0
    out = []
    for v in values:
        if v != v or v in (float("inf"), float("-inf")):
            out.append("×")
            continue
        level = int((min(max(v, lo), hi) - lo) / span * (len(BLOCKS) - 1))
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
        finite = [v for pts in curves.values() for _, v in pts if v == v and abs(v) != float("inf")]
        lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
        text = Text(f"  {check.name}: loss {hi:.4g} → {lo:.4g}\n", style="bold")
        for role in ("learner", "reference"):
            pts = curves.get(role)
            if pts:
                label = "yours    " if role == "learner" else "reference"
                text.append(f"    {label} ")
                text.append(sparkline([v for _, v in pts], lo=lo, hi=hi), style="cyan" if role == "learner" else "green")
                text.append(f"  last {pts[-1][1]:.4g}\n")
        charts.append(text)
    return charts
