# verdict: timeout
import time

time.sleep(3600)  # at import time: the whole exercise times out


def softmax(X):
    return X
