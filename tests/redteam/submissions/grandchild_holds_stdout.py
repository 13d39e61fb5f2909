# verdict: pass
# A correct answer, but it leaves a daemon behind: a grandchild in its own session (setsid)
# whose parent exits at once, still holding stdout. The grader must answer anyway and kill it.
import subprocess
import sys
from pathlib import Path

import torch

PIDS = Path(__file__).with_suffix(".pids")
subprocess.run([sys.executable, "-c",
                "import subprocess, sys\n"
                "p = subprocess.Popen(['sleep', '3600'], start_new_session=True)\n"
                "open(sys.argv[1], 'w').write(str(p.pid))\n", str(PIDS)], check=True)


def softmax(X):
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
