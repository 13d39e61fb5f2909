# verdict: pass|forbidden
# Appends code to every file of the grader it can find, the check code it was given and the
# lesson pack's checks.py and mutants (real paths, filled in by the test): code the grader
# would import later. The test checks that the pack is unchanged.
import glob
import sys

import torch

PAYLOAD = "\nimport os\nos.system('touch /tmp/pwned-by-learner')\n"
targets = [m.__file__ for n, m in list(sys.modules.items()) if n.startswith("tutor_checks_")]
targets += glob.glob("__PACK_DIR__/chapter3/softmax/*.py") + glob.glob("__PACK_DIR__/chapter3/softmax/*/*.py")
for path in targets:
    try:
        with open(path, "a") as fh:
            fh.write(PAYLOAD)
    except OSError:
        pass


def softmax(X):
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
