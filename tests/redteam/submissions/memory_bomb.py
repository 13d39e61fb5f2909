# verdict: memory
import numpy as np

blocks = []


def softmax(X):
    while True:
        blocks.append(np.ones(1 << 25))  # 256 MB of touched pages each: resident memory really grows
