# verdict: crash
# message: SIGSEGV
import ctypes


def softmax(X):
    return ctypes.string_at(0)
