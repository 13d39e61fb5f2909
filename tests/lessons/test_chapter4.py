"""Chapter 4: messages and diagnoses on hand-written answers (test_catalog_validates.py checks
that every solution passes and every mutant is caught)."""


def test_wrong_axis_message_shows_the_input_and_the_difference(grade):
    result = grade("chapter4/softmax",
                    "import torch\ndef softmax(X):\n    E = torch.exp(X - X.max())\n    return E / E.sum(0)\n")
    first = result.checks[0]
    assert first.verdict == "fail" and first.diagnosis == "softmax.wrong_axis"
    assert "softmax(tensor([[0., 1., 2.], [1., 1., 1.]]))" in first.message
    assert "largest absolute difference" in first.message


def test_banned_call_through_getattr_is_forbidden(grade):
    result = grade("chapter4/softmax",
                    "import torch\ndef softmax(X):\n    return getattr(X, 'soft' + 'max')(-1)\n")
    assert result.verdict == "forbidden"
    assert "torch.Tensor.softmax" in result.checks[0].message


def test_catching_the_ban_does_not_help(grade):
    source = ("import torch\ndef softmax(X):\n    try:\n        return torch.softmax(X, -1)\n"
              "    except Exception:\n        e = torch.exp(X - X.max(-1, keepdim=True).values)\n"
              "        return e / e.sum(-1, keepdim=True)\n")
    assert grade("chapter4/softmax", source).verdict == "forbidden"


def test_returning_a_list_fails_with_a_clear_message(grade):
    result = grade("chapter4/softmax",
                    "import torch\ndef softmax(X):\n    e = torch.exp(X - X.max(-1, keepdim=True).values)\n"
                    "    return (e / e.sum(-1, keepdim=True)).tolist()\n")
    assert result.verdict == "fail"
    assert "expected a tensor of shape (2, 3), got a list" in result.checks[0].message


def test_partial_work_scores_partially(grade):
    result = grade("chapter4/cross_entropy",
                    "import torch\ndef cross_entropy(logits, labels):\n"
                    "    lse = torch.log(torch.exp(logits).sum(1))\n"
                    "    return (lse - logits[torch.arange(len(labels)), labels]).mean()\n")
    assert result.verdict == "fail"
    assert 0.5 < result.score < 1.0
    assert {c.diagnosis for c in result.checks if c.diagnosis} == {"cross_entropy.no_max_shift"}
