"""Chapter 9 (BPTT): the oracle is autograd, each wrong variant is named, and the messages point
at the truncation boundary."""

import pytest

from tutor.grader.build import oracle_for
from tutor.grader.context import Context
from tutor.grader.reference import checks_module, load_checks, load_trusted_module

BPTT = "chapter9/bptt"


@pytest.fixture(scope="module")
def bptt(catalog):
    return catalog.exercise(BPTT)


def test_pack_shape(bptt):
    checks = load_checks(bptt)
    assert len(checks) >= 6
    assert len({c.kind for c in checks}) >= 2
    assert len(bptt.hints) >= 3
    assert any(m.verdict == "forbidden" for m in bptt.mutants), "autograd use must be caught"
    for api in ("torch.Tensor.backward", "torch.autograd.grad", "torch.autograd.functional.*"):
        assert api in bptt.banned_names


def test_expected_values_come_from_autograd(bptt):
    """The grader's side of every check runs autograd (the exercise's oracle), not reference.py."""
    first = load_checks(bptt)[0]
    reference = load_trusted_module(bptt.reference_path, "tutor_reference")
    oracle = oracle_for(first, bptt.spec, reference, checks_module(bptt))
    assert oracle is not reference and oracle.rnn_bptt.__name__ == "autograd_bptt"
    out = first.run(oracle, Context(seed=first.seed, role="reference"))["out"]
    assert abs(float(out["W_xh"][0, 0]) - 0.246868) < 1e-6 and abs(float(out["W_hh"][0, 0]) - 0.447678) < 1e-6


def test_off_by_one_is_named_with_the_smallest_k(validation):
    result = validation.result(BPTT, "mutants/truncation_off_by_one.py")
    sweep = next(c for c in result.checks if c.name.startswith("truncation at every k"))
    assert sweep.diagnosis == "bptt.truncation_off_by_one"
    assert "truncate=1" in sweep.message and "one step off" in sweep.message


def test_h0_boundary_message_names_h0(validation):
    result = validation.result(BPTT, "mutants/h0_boundary.py")
    boundary = next(c for c in result.checks if c.name.startswith("boundary"))
    assert boundary.verdict == "fail" and boundary.diagnosis == "bptt.h0_boundary"
    assert "output['H0']" in boundary.message and "truncate=4" in boundary.message
    # the weight gradients are right, so the full-BPTT checks pass
    assert next(c for c in result.checks if "full BPTT" in c.name).verdict == "pass"


def test_autograd_grad_is_forbidden_but_printing_under_no_grad_is_not(bptt, grade):
    cheat = ("import torch\n"
             "def rnn_bptt(X, H0, W_xh, W_hh, b_h, W_hq, b_q, dO, truncate=None):\n"
             "    ps = [p.clone().requires_grad_() for p in (W_xh, W_hh, b_h, W_hq, b_q, H0)]\n"
             "    h, L = ps[5], 0\n"
             "    for t in range(len(X)):\n"
             "        h = torch.tanh(X[t] @ ps[0] + h @ ps[1] + ps[2])\n"
             "        L = L + (dO[t] * (h @ ps[3] + ps[4])).sum()\n"
             "    g = torch.autograd.grad(L, ps)\n"
             "    return dict(zip(('W_xh', 'W_hh', 'b_h', 'W_hq', 'b_q', 'H0'), g))\n")
    result = grade(BPTT, cheat)
    assert result.verdict == "forbidden"
    assert "torch.autograd.grad" in result.checks[0].message

    solution = (bptt.folder / "solutions" / "window_per_output.py").read_text()
    chatty = solution.replace("    T = X.shape[0]\n", "    T = X.shape[0]\n    with torch.no_grad():\n        print(X[0], H0)\n")
    assert chatty != solution
    assert grade(BPTT, chatty).verdict == "pass"

