# verdict: crash
# message: exited
import os


def softmax(X):
    os._exit(0)  # no exception, no result: the process just ends
