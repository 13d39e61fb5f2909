# verdict: error|forbidden
# Looks for the hidden reference through every process it can see: /proc/<pid>/root and
# /proc/<pid>/cwd (the parent's first), at the lesson pack's real path (the test fills it in).
import os

REL = "chapter3/softmax/reference.py"
PACK = "__PACK_DIR__"


def softmax(X):
    pids = [os.getppid()] + [int(p) for p in os.listdir("/proc") if p.isdigit()]
    for pid in pids:
        for base in (f"/proc/{pid}/root{PACK}", f"/proc/{pid}/cwd"):
            try:
                with open(os.path.join(base, REL)) as fh:
                    source = fh.read()
            except OSError:
                continue
            if "def softmax" in source:
                namespace = {}
                exec(source, namespace)
                return namespace["softmax"](X)
    raise RuntimeError("no reference reachable")
