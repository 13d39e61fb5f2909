"""Chapter 9 (BPTT): right solutions pass, each wrong variant fails with its diagnosis, and the
messages point at the truncation boundary."""

from pathlib import Path

import pytest

from tutor.engine.catalog import BUILTIN_PACK, load_chapter
from tutor.grader.validate import validate_exercise

from recording import RecordingGrader

CHAPTER = BUILTIN_PACK / "chapter9"



@pytest.fixture(scope="module")
def grader(tmp_path_factory):
    g = RecordingGrader(cache_dir=tmp_path_factory.mktemp("cache"))
    yield g
    g.close()


@pytest.fixture(scope="module")
def validated(bptt, grader):
    """Validation findings, and the result of each graded file by its name in the pack."""
    start = len(grader.results)
    findings = validate_exercise(bptt, grader)
    names = ["starter.py", "reference.py", *(p.relative_to(bptt.folder).as_posix() for p in bptt.solutions),
             *(m.path.relative_to(bptt.folder).as_posix() for m in bptt.mutants)]
    results = grader.results[start:]
    assert len(results) == len(names)
    return findings, dict(zip(names, results))


@pytest.fixture(scope="module")
def bptt():
    return {ex.slug: ex for ex in load_chapter(CHAPTER).exercises}["bptt"]


def _grade(grader, tmp_path: Path, ex, source: str):
    path = tmp_path / ex.chapter / f"{ex.slug}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    return grader.grade(ex, path)


def test_validation(bptt, validated):
    findings, _ = validated
    bad = [f.line() for f in findings if not f.ok]
    assert not bad, "\n".join(bad)
    assert len(bptt.solutions) >= 2
    declared = {m.diagnosis for m in bptt.mutants if m.diagnosis}
    assert declared == set(bptt.diagnoses), "every diagnosis has a mutant that triggers it"
    assert any(m.verdict == "forbidden" for m in bptt.mutants), "autograd use must be caught"


def test_pack_shape(bptt):
    from tutor.grader.reference import load_checks

    checks = load_checks(bptt)
    assert len(checks) >= 6
    assert len({c.kind for c in checks}) >= 2
    assert len(bptt.hints) >= 3
    for api in ("torch.Tensor.backward", "torch.autograd.grad", "torch.autograd.functional.*"):
        assert api in bptt.banned


def test_expected_values_come_from_autograd(bptt):
    """The grader's side of every check runs autograd, not reference.py."""
    from tutor.grader.checks import Context
    from tutor.grader.reference import load_checks

    first = load_checks(bptt)[0]

    class Exploding:
        def rnn_bptt(self, *a, **k):
            raise AssertionError("reference.py must not be called on the expected side")

    out = first.run(Exploding(), Context(seed=first.seed, role="reference"))["out"]
    assert abs(float(out["W_xh"][0, 0]) - 0.246868) < 1e-6 and abs(float(out["W_hh"][0, 0]) - 0.447678) < 1e-6


def test_off_by_one_is_named_with_the_smallest_k(validated):
    result = validated[1]["mutants/truncation_off_by_one.py"]
    sweep = next(c for c in result.checks if c.name.startswith("truncation at every k"))
    assert sweep.diagnosis == "bptt.truncation_off_by_one"
    assert "truncate=1" in sweep.message and "one step off" in sweep.message


def test_h0_boundary_message_names_h0(validated):
    result = validated[1]["mutants/h0_boundary.py"]
    boundary = next(c for c in result.checks if c.name.startswith("boundary"))
    assert boundary.verdict == "fail" and boundary.diagnosis == "bptt.h0_boundary"
    assert "output['H0']" in boundary.message and "truncate=4" in boundary.message
    # the weight gradients are right, so the full-BPTT checks pass
    assert next(c for c in result.checks if "full BPTT" in c.name).verdict == "pass"


def test_autograd_grad_is_forbidden_but_printing_under_no_grad_is_not(bptt, grader, tmp_path):
    cheat = ("import torch\n"
             "def rnn_bptt(X, H0, W_xh, W_hh, b_h, W_hq, b_q, dO, truncate=None):\n"
             "    ps = [p.clone().requires_grad_() for p in (W_xh, W_hh, b_h, W_hq, b_q, H0)]\n"
             "    h, L = ps[5], 0\n"
             "    for t in range(len(X)):\n"
             "        h = torch.tanh(X[t] @ ps[0] + h @ ps[1] + ps[2])\n"
             "        L = L + (dO[t] * (h @ ps[3] + ps[4])).sum()\n"
             "    g = torch.autograd.grad(L, ps)\n"
             "    return dict(zip(('W_xh', 'W_hh', 'b_h', 'W_hq', 'b_q', 'H0'), g))\n")
    result = _grade(grader, tmp_path, bptt, cheat)
    assert result.verdict == "forbidden"
    assert "torch.autograd.grad" in result.checks[0].message

    solution = (bptt.folder / "solutions" / "window_per_output.py").read_text()
    chatty = solution.replace("    T = X.shape[0]\n", "    T = X.shape[0]\n    with torch.no_grad():\n        print(X[0], H0)\n")
    assert chatty != solution
    assert _grade(grader, tmp_path / "chatty", bptt, chatty).verdict == "pass"

