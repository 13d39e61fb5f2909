# verdict: memory
# exercise: chapter3/softmax_small_memory
# Allocates and touches memory until stopped (its exercise allows 640 MB and 15 s: page faults
# are slow on some virtual machines, so the time limit must not win the race).
import numpy as np

blocks = []


def softmax(X):
    while True:
        blocks.append(np.ones(1 << 24))  # 128 MB of touched pages each: resident memory really grows
