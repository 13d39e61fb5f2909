# verdict: pass
# 100 MB of output, then a correct answer: the output is truncated, the grader stays responsive.
import sys

import torch

chunk = "PASS " * 200_000 + "\n"  # 1 MB
for _ in range(100):
    sys.stdout.write(chunk)
    sys.stderr.write(chunk)


def softmax(X):
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
