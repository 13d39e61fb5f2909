# verdict: forbidden
# message: forged
# Finds the grader's result pipe through /proc/self/fd and writes "results" onto it.
import json
import os


def forge():
    line = (json.dumps({"t": "result", "i": 0, "status": "ok", "data": None, "n": "guess"}) + "\n").encode()
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd <= 2:
            continue
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
                os.write(fd, line)
        except OSError:
            pass


def softmax(X):
    forge()
    return X * 0
