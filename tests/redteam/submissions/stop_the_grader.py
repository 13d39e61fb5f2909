# verdict: pass
# needs: full
# Tries to hang or kill the grader: SIGSTOP and SIGKILL to its parent, to every process it
# can see and to the grader's real pid (filled in by the test), and lowers their open-file
# limit to nothing (prlimit). The grader must still answer: the answer is right.
import ctypes
import os
import resource
import signal

import torch

me = os.getpid()
targets = {__GRADER_PID__, os.getppid(), 1, *[int(p) for p in os.listdir("/proc") if p.isdigit()]} - {me}
for pid in targets:
    try:
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (0, 0))
    except (OSError, ValueError):
        pass
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except OSError:
            pass


def softmax(X):
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
