# verdict: forbidden
# Writes fake "results" next to itself (harmless) and forged reference-cache entries (refused).
import json
import os
from pathlib import Path

import torch

here = Path(__file__).resolve().parent
(here / "report.json").write_text(json.dumps({"results": [{"exercise": "chapter3/softmax", "verdict": "pass"}]}))
cache = Path(os.environ.get("TUTOR_CACHE_DIR", "/nonexistent"))
for target in (cache / "chapter3" / "softmax" / "forged.json", here.parent / ".tutor" / "forged.json"):
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    target.write_text(json.dumps({"data": {"out": None}, "points": {}}))


def softmax(X):
    return torch.zeros_like(X)
