# verdict: pass
# needs: full
# Tries to re-enter a network namespace with a way out: setns() into the namespace of every
# process it can see and of the grader (real pid, filled in by the test), then connects to
# the test's server. Any connection is reported as an error; otherwise the answer is right.
import ctypes
import os
import socket

import torch

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
leaks = []
for pid in {__GRADER_PID__, os.getppid(), 1, *[int(p) for p in os.listdir("/proc") if p.isdigit()]}:
    try:
        fd = os.open(f"/proc/{pid}/ns/net", os.O_RDONLY)
    except OSError:
        continue
    libc.setns(fd, CLONE_NEWNET)
    os.close(fd)
    for port in __PORTS__:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"leaked")
                leaks.append((pid, port))
        except OSError:
            pass


def softmax(X):
    if leaks:
        raise RuntimeError(f"reached the grader's network: {leaks}")
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
