# verdict: crash
# message: processes
# A bounded fork loop: 80 processes that sleep. The grader stops it and kills them all.
import subprocess


def softmax(X):
    for _ in range(80):
        subprocess.Popen(["sleep", "3600"])
    return X
