# verdict: forbidden
# needs: thread-guard
# Calls the banned torch.softmax in a worker thread whose stack holds no frame of this file
# (the executor calls it directly), out of sight of a guard that inspects the stack.
from concurrent.futures import ThreadPoolExecutor

import torch


def softmax(X):
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(torch.softmax, X, -1).result()
