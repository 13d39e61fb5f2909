# verdict: pass
# Tries to attach a debugger (ptrace) to every process it can see and to the grader itself
# (its real pid, filled in by the test). Any success is reported as an error; otherwise the
# answer is right.
import ctypes
import os

import torch

PTRACE_ATTACH, PTRACE_DETACH = 16, 17
libc = ctypes.CDLL(None, use_errno=True)
attached = []
for pid in {__GRADER_PID__, os.getppid(), 1, *[int(p) for p in os.listdir("/proc") if p.isdigit()]}:
    if pid == os.getpid():
        continue
    if libc.ptrace(PTRACE_ATTACH, pid, None, None) == 0:
        attached.append(pid)
        libc.ptrace(PTRACE_DETACH, pid, None, None)


def softmax(X):
    if attached:
        raise RuntimeError(f"attached a debugger to {attached}")
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
