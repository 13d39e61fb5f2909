# verdict: timeout
# Finds the result channel and its nonce in its own memory and sends well-formed "stage"
# and "note" messages without end while it loops: no message may extend a check's budget.
import gc
import time


def channel():
    for obj in gc.get_objects():
        if type(obj).__name__ == "Channel" and getattr(obj, "nonce", None):
            return obj
    raise RuntimeError("no channel found")


def softmax(X):
    ch = channel()
    while True:
        ch.send({"t": "stage", "stage": "import"})
        ch.send({"t": "note", "text": "still working"})
        time.sleep(0.01)
