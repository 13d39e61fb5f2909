# verdict: error
# message: File too large
# Writes 200 MB to a file: the file-size limit stops it with an error it can read.
from pathlib import Path


def softmax(X):
    with open(Path(__file__).with_suffix(".bin"), "wb") as fh:
        for _ in range(200):
            fh.write(b"\0" * (1 << 20))
    return X
