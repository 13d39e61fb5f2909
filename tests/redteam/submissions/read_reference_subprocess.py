# verdict: error
# needs: mounts
# Reads the reference through another program, out of reach of any Python-level guard; the
# private mount namespace shows it an empty file, so there is nothing to run.
import os
import subprocess
import sys


def softmax(X):
    checks = next(m for n, m in sys.modules.items() if n.startswith("tutor_checks_"))
    path = os.path.join(os.path.dirname(checks.__file__), "reference.py")
    source = subprocess.run(["cat", path], capture_output=True, text=True).stdout
    namespace = {}
    exec(source, namespace)
    return namespace["softmax"](X)
