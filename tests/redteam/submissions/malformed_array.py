# verdict: crash
# message: malformed
# Writes a correctly stamped result whose array claims 10^20 elements (the decoder's
# KeyError/OverflowError used to surface as a `timeout`).
import gc
import json
import os


def softmax(X):
    ch = next(o for o in gc.get_objects() if type(o).__name__ == "Channel" and getattr(o, "nonce", None))
    line = {"t": "result", "i": 0, "status": "ok", "n": ch.nonce,
            "data": {"out": {"__array__": "float64", "shape": [10**20], "data": ""}}}
    os.write(ch.fd, (json.dumps(line) + "\n").encode())
    while True:
        pass
