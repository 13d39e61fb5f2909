"""A banned shortcut is `forbidden` however it is reached: from a worker thread, through the
dispatcher's operator, an alias or partial the grader calls, or with the dispatcher guard
switched off. Graded on chapter4/softmax (bans: softmax, log_softmax, logsumexp)."""

import pytest

SOFTMAX = "chapter4/softmax"
RIGHT = ("    Z = X - X.amax(dim=-1, keepdim=True)\n"
         "    E = torch.exp(Z)\n"
         "    return E / E.sum(dim=-1, keepdim=True)\n")

CASES = {
    "worker thread": ("import threading\nimport torch\n\ndef softmax(X):\n    out = []\n"
                      "    t = threading.Thread(target=lambda: out.append(torch.softmax(X, -1)))\n"
                      "    t.start()\n    t.join()\n    return out[0] if out else X\n"),
    "executor, banned function as the target": (
        "from concurrent.futures import ThreadPoolExecutor\nimport torch\n\ndef softmax(X):\n"
        "    with ThreadPoolExecutor(1) as pool:\n        return pool.submit(torch.softmax, X, -1).result()\n"),
    "the dispatcher's operator": ("import torch\n\ndef softmax(X):\n"
                                  "    return torch.ops.aten._softmax.default(X, -1, False)\n"),
    "an alias the grader calls": "import torch.nn.functional as F\n\nsoftmax = F.softmax\n",
    "a partial the grader calls": "import functools\nimport torch\n\nsoftmax = functools.partial(torch.softmax, dim=-1)\n",
    "the dispatcher guard switched off": (
        "import torch\n\ndef softmax(X):\n    with torch._C._DisableTorchDispatch():\n"
        "        return torch.ops.aten._softmax.default(X, -1, False)\n"),
    "log-softmax then exp through the operator": (
        "import torch\n\ndef softmax(X):\n    return torch.ops.aten._log_softmax(X, -1, False).exp()\n"),
}


@pytest.mark.parametrize("route", list(CASES))
def test_every_route_to_a_banned_shortcut_is_forbidden(grade, route):
    result = grade(SOFTMAX, CASES[route])
    assert result.verdict == "forbidden", [(c.name, c.verdict, c.message[:120]) for c in result.checks]


def test_threads_and_allowed_operators_are_fine(grade):
    source = ("from concurrent.futures import ThreadPoolExecutor\nimport torch\n\n"
              "def _rows(X):\n" + RIGHT.replace("    ", "    ", 1) + "\n"
              "def softmax(X):\n    with ThreadPoolExecutor(2) as pool:\n        return pool.submit(_rows, X).result()\n")
    result = grade(SOFTMAX, source)
    assert result.verdict == "pass", [(c.name, c.verdict, c.message[:200]) for c in result.checks]
