# verdict: pass
# A correct answer plus a thread that prints forever: it must not delay or spoil the verdict.
import threading

import torch


def chatter():
    while True:
        print("still here")


threading.Thread(target=chatter, daemon=True).start()


def softmax(X):
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
