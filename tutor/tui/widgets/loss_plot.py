"""Live loss curves: the learner's and the reference's, redrawn as steps stream in."""

from __future__ import annotations

from textual_plotext import PlotextPlot

LEARNER_COLOR, REFERENCE_COLOR = "orange", "cyan"


class LossPlot(PlotextPlot, can_focus=True):
    """Holds every series of the current grading; `update_series` replaces them and redraws."""

    DEFAULT_CSS = """
    LossPlot { height: 1fr; min-height: 8; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.series: dict[tuple[int, str, str], list[tuple[float, float]]] = {}
        self.check_names: dict[int, str] = {}
        self.updates = 0

    def on_mount(self) -> None:
        super().on_mount()
        self.replot()

    def clear(self) -> None:
        self.series = {}
        self.replot()

    def update_series(self, series: dict) -> None:
        """Merge a snapshot of streamed points (a newer snapshot of a series replaces the older)."""
        for key, points in series.items():
            self.series[key] = list(points)
        self.updates += 1
        self.replot()

    def point_count(self, role: str | None = None) -> int:
        return sum(len(p) for (_, r, _), p in self.series.items() if role in (None, r))

    def replot(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title("loss per step: yours vs the reference")
        plt.xlabel("step")
        indices = sorted({i for (i, _, _) in self.series})
        values = [v for points in self.series.values() for _, v in points]
        if values and min(values) > 0 and max(values) / min(values) > 1e3:
            plt.yscale("log")  # a diverging or fast-converging curve stays readable
            plt.ylabel("loss (log scale)")
        if not self.series:
            plt.title("loss per step: streams in while a training check runs (ctrl+r to check)")
        for key in sorted(self.series, key=lambda k: (k[0], k[2], k[1] != "learner")):
            index, role, name = key
            points = self.series[key]
            if not points:
                continue
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            who = "you" if role == "learner" else "reference"
            label = who if len(indices) < 2 and name == "loss" else f"{who}: {self.check_names.get(index, f'check {index + 1}')} {name}"
            plt.plot(xs, ys, label=label, marker="braille",
                     color=LEARNER_COLOR if role == "learner" else REFERENCE_COLOR)
        self.refresh()
