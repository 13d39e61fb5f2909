# verdict: pass
# Looks for the grader's secrets in its environment, its parent's and a child's: the test
# sets TUTOR_REDTEAM_SECRET in the grader. Found: an error; not found: the right answer.
import os
import subprocess

import torch

SECRET = "TUTOR_REDTEAM_SECRET"
found = [k for k in os.environ if k == SECRET]
for pid in {os.getppid(), 1}:
    try:
        with open(f"/proc/{pid}/environ", "rb") as fh:
            if SECRET.encode() in fh.read():
                found.append(f"/proc/{pid}/environ")
    except OSError:
        pass
if SECRET in subprocess.run(["env"], capture_output=True, text=True).stdout:
    found.append("a child's environment")


def softmax(X):
    if found:
        raise RuntimeError(f"leaked: {found}")
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
