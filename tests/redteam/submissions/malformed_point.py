# verdict: crash
# message: malformed
# Streams a correctly stamped point whose step is a number no float can hold.
import gc
import json
import os


def softmax(X):
    ch = next(o for o in gc.get_objects() if type(o).__name__ == "Channel" and getattr(o, "nonce", None))
    os.write(ch.fd, (json.dumps({"t": "point", "i": 0, "s": "loss", "k": 10**400, "v": 1.0, "n": ch.nonce}) + "\n").encode())
    while True:
        pass
