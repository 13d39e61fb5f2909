# verdict: error|forbidden
# Loads the reference from its compiled bytecode (__pycache__/reference.*.pyc), which a
# grader that imported reference.py leaves next to it (the test makes sure it exists).
import glob
import marshal

PACK = "__PACK_DIR__"


def softmax(X):
    for path in glob.glob(f"{PACK}/chapter3/softmax/__pycache__/reference*.pyc"):
        with open(path, "rb") as fh:
            code = marshal.loads(fh.read()[16:])
        namespace = {}
        exec(code, namespace)
        return namespace["softmax"](X)
    raise RuntimeError("no bytecode reachable")
