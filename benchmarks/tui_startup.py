"""How fast `tutor start` shows its first screen, against `python -c "import torch"`.

Both are timed from process launch (interpreter start-up included) on the same machine:
- torch_import_s: wall time of `python -c "import torch"`;
- tui_first_screen_s: launch until the home screen is up (Textual's Ready: first frame
  displayed, home screen composed), with the app run headless against a fresh workspace of
  the built-in curriculum (or --pack DIR without it).
Prints one JSON line: {"torch_import_s", "tui_first_screen_s", "ratio", "torch_imported_at_first_screen", ...}.
The target (issue #6) is ratio <= 0.6.

    python benchmarks/tui_startup.py [--runs 5] [--pack DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, sys, time
from tutor.tui.app import create_app

app = create_app(sys.argv[1], **({"catalog": __import__("tutor.engine.catalog", fromlist=["x"]).load_catalog(
    [sys.argv[2]], include_builtin=False)} if len(sys.argv) > 2 else {}))

async def autopilot(pilot):
    from tutor.tui.screens.home import HomeScreen
    while app.first_screen_at is None or not isinstance(app.screen, HomeScreen) \
            or not app.screen.query_one("#exercise-tree").root.children:
        await pilot.pause(0.005)
    shown = max(app.first_screen_at, time.time())
    print(json.dumps({"shown": shown, "torch": "torch" in sys.modules}), flush=True)
    app.exit()

app.run(headless=True, size=(160, 48), auto_pilot=autopilot)
"""


def timed(args: list[str]) -> tuple[float, str]:
    start = time.time()
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    return time.time() - start, out.stdout


def first_screen(workspace: Path, pack: str | None) -> tuple[float, bool]:
    start = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, str(workspace), *([pack] if pack else [])],
                         capture_output=True, text=True, check=True)
    line = next(json.loads(ln) for ln in out.stdout.splitlines() if ln.startswith("{"))
    return line["shown"] - start, line["torch"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pack", help="a lesson pack to use instead of the built-in curriculum")
    args = parser.parse_args()

    from tutor.engine.catalog import load_catalog
    from tutor.engine.workspace import init_workspace

    catalog = load_catalog([args.pack], include_builtin=False) if args.pack else load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        ws, _ = init_workspace(Path(tmp) / "ws", catalog)
        timed([sys.executable, "-c", "import torch"])  # warm the page cache for both
        first_screen(ws.root, args.pack)
        torch_s, tui_s, torch_seen = [], [], []
        for _ in range(args.runs):  # interleaved, so load changes hit both alike
            torch_s.append(timed([sys.executable, "-c", "import torch"])[0])
            seconds, imported = first_screen(ws.root, args.pack)
            tui_s.append(seconds)
            torch_seen.append(imported)
    t, u = statistics.median(torch_s), statistics.median(tui_s)
    print(json.dumps({"torch_import_s": round(t, 3), "tui_first_screen_s": round(u, 3), "ratio": round(u / t, 3),
                      "torch_imported_at_first_screen": any(torch_seen), "runs": args.runs,
                      "exercises": len(catalog.exercises)}))


if __name__ == "__main__":
    main()
