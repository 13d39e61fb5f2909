# verdict: pass|forbidden
# Writes fake "results" next to itself and forged entries into the reference cache and the
# workspace's state, at their real paths (the test fills them in). Under bwrap none of these
# exist in the sandbox; under the fallback the Python guard refuses them. The test checks
# that nothing was written.
import json
from pathlib import Path

import torch

TARGETS = [Path(__file__).resolve().parent / "report.json",
           Path("__CACHE_DIR__") / "chapter3" / "softmax" / "forged.json",
           Path("__STATE_DIR__") / "forged.json"]
for target in TARGETS:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"data": {"out": None}, "points": {}}))
    except OSError:
        pass


def softmax(X):
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
