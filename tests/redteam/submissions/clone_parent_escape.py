# verdict: pass
# Starts a process with clone(CLONE_PARENT) (a sibling, not a child) that then calls setsid()
# and sleeps: the old way to outlive a grading. The answer is right; nothing may survive.
import ctypes
import os

import torch

CLONE_PARENT, SIGCHLD, SYS_CLONE = 0x00008000, 17, 56
libc = ctypes.CDLL(None, use_errno=True)
pid = libc.syscall(SYS_CLONE, CLONE_PARENT | SIGCHLD, None, None, None, None)
if pid == 0:
    os.setsid()
    os.execv("/bin/sleep", ["sleep", "3600"])


def softmax(X):
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
