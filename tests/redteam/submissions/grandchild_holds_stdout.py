# verdict: pass
# A correct answer, but it leaves a daemon behind: a grandchild in its own session (setsid)
# whose parent exits at once, still holding stdout. The grader must answer anyway and kill it.
import subprocess
import sys

import torch

subprocess.run([sys.executable, "-c",
                "import subprocess\n"
                "subprocess.Popen(['sleep', '3600'], start_new_session=True)\n"], check=True)


def softmax(X):
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
