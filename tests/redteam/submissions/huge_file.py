# verdict: error
# message: File too large
# Writes 200 MB to a file: the file-size limit stops it with an error it can read.
import os
import tempfile


def softmax(X):
    with open(os.path.join(tempfile.gettempdir(), "huge.bin"), "wb") as fh:
        for _ in range(200):
            fh.write(b"\0" * (1 << 20))
    return X
