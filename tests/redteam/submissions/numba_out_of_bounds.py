# verdict: crash
# An out-of-bounds write from compiled code: no bounds check, the process dies on a signal.
import numpy as np
from numba import njit


@njit("void(float64[:], int64)", cache=False)
def poke(a, i):
    a[i] = 1.0


def softmax(X):
    poke(np.zeros(4), 1 << 46)
    return X
