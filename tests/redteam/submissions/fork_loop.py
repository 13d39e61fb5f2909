# verdict: crash
# message: processes
# A bounded fork loop: 80 processes that sleep. The grader stops it and kills them all.
import subprocess
from pathlib import Path

PIDS = Path(__file__).with_suffix(".pids")


def softmax(X):
    for _ in range(80):
        p = subprocess.Popen(["sleep", "3600"])
        with open(PIDS, "a") as fh:
            fh.write(f"{p.pid}\n")
    return X
