"""Write the README's SVG screenshots to docs/screenshots/ (real grading, built-in curriculum).

    python tests/tui/screenshots.py [--out docs/screenshots] [--pack DIR]

Home, an exercise (lesson + editor), results with a diagnosis (chapter4/softmax without the
max shift), the same on an 80×24 terminal, the prompt after a pass, and the live loss plot
(the first exercise with a training check, graded with one of its known wrong variants).
With --pack, the pack's exercises are used instead.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOFTMAX_NO_SHIFT = '''import torch


def softmax(X: torch.Tensor) -> torch.Tensor:
    E = torch.exp(X)
    return E / E.sum(dim=-1, keepdim=True)
'''


async def wait(pilot, predicate, timeout=300.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("screen not ready")
        await pilot.pause(0.1)


async def shoot(out: Path, pack: str | None) -> None:
    from tutor.engine.catalog import load_catalog
    from tutor.engine.workspace import init_workspace
    from tutor.tui.app import create_app
    from tutor.tui.screens.exercise import has_training_check

    catalog = load_catalog([pack], include_builtin=False) if pack else load_catalog()
    exercises = catalog.exercises
    value_ex = next((e for e in exercises if e.id == "chapter4/softmax"), exercises[0])
    trainable = [e for e in exercises if has_training_check(e) and any(m.diagnosis for m in e.mutants)]
    train_ex = next((e for e in trainable if e.id == "chapter12/adam"), trainable[0] if trainable else None)
    with tempfile.TemporaryDirectory() as tmp:
        ws, _ = init_workspace(Path(tmp) / "my-dl", catalog)
        wrong = SOFTMAX_NO_SHIFT if value_ex.id == "chapter4/softmax" else next(
            m.path.read_text() for m in value_ex.mutants if m.diagnosis)
        ws.learner_file(value_ex).write_text(wrong)
        app = create_app(ws, catalog=catalog)
        app.notify = lambda *args, **kwargs: None  # toasts would cover the screens
        out.mkdir(parents=True, exist_ok=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.5)
            app.save_screenshot(str(out / "home.svg"))
            app.open_exercise(value_ex.id)
            await pilot.pause(1.0)
            app.save_screenshot(str(out / "exercise.svg"))
            await pilot.press("ctrl+r")
            screen = app.screen
            await wait(pilot, lambda: screen.last_result is not None)
            await pilot.pause(0.5)
            app.save_screenshot(str(out / "results.svg"))
            solved = next((p for p in value_ex.solutions), value_ex.reference_path)
            ws.learner_file(value_ex).write_text(solved.read_text())
            await pilot.press("ctrl+r")
            await wait(pilot, lambda: str(screen.last_result.verdict) == "pass")
            await pilot.pause(0.5)
            app.save_screenshot(str(out / "pass.svg"))
            if train_ex is not None:
                mutant = next(m for m in train_ex.mutants if m.diagnosis)
                ws.learner_file(train_ex).write_text(mutant.path.read_text())
                app.open_exercise(train_ex.id)
                await pilot.pause(0.5)
                await pilot.press("ctrl+r")
                screen = app.screen
                await wait(pilot, lambda: screen.last_result is not None)
                screen.action_tab("loss")
                await pilot.pause(0.5)
                app.save_screenshot(str(out / "loss_plot.svg"))
        app.close_session()
        ws.learner_file(value_ex).write_text(wrong)
        small = create_app(ws, catalog=catalog, open_exercise=value_ex.id)
        small.notify = lambda *args, **kwargs: None
        async with small.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.5)
            await pilot.press("ctrl+r")
            screen = small.screen
            await wait(pilot, lambda: screen.last_result is not None)
            await pilot.pause(0.5)
            small.save_screenshot(str(out / "results_80x24.svg"))
        small.close_session()
        print(f"screenshots in {out}: {sorted(p.name for p in out.glob('*.svg'))}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--pack")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    asyncio.run(shoot(Path(args.out), args.pack))


if __name__ == "__main__":
    main()
