"""Scenarios of chapter10/bleu: several calls per check, judged call by call."""

import torch

from tutor.grader import kit

BOOK_PRED, BOOK_LABEL = "A B B C D", "A B C D E F"


def as_number(out):
    """A plain float when the learner returns any real number; anything else is left to fail."""
    if isinstance(out, (int, float)) and not isinstance(out, bool):
        return float(out)
    if type(out).__module__ == "numpy" and getattr(out, "shape", None) == ():
        return float(out)
    return out


def run_calls(module, triples):
    bleu = kit.function(module, "bleu")
    return [{"call": f"bleu({p!r}, {l!r}, k={k})", "out": as_number(bleu(p, l, k))} for p, l, k in triples]


def judge_calls(got, expected, jc):
    if len(got) != len(expected):
        return kit.Mismatch("the scenario did not return one result per call")
    for g, e in zip(got, expected):
        m = kit.compare_plain(g.get("out"), e["out"], what="result", rtol=1e-9, atol=1e-12)
        if m:
            return kit.Mismatch(f"{e['call']}: expected {e['out']:.6g}, got {kit.fmt_array(g.get('out'))}",
                                {"input": e["call"]})
    return None


def book_other_k(module, ctx):
    return run_calls(module, [(BOOK_PRED, BOOK_LABEL, 1), (BOOK_PRED, BOOK_LABEL, 3), (BOOK_PRED, BOOK_LABEL, 4)])


def clipping(module, ctx):
    return run_calls(module, [("the the the the", "the cat", 1), ("A A B B", "A B C D", 2),
                              ("the cat the cat", "the cat sat on the mat", 2)])


def brevity(module, ctx):
    return run_calls(module, [("A B", "A B C D E F", 2), ("A B C", "A B C D", 1), ("A B C D E F G H", "A B C D", 2)])


def short_and_empty(module, ctx):
    return run_calls(module, [("", "A B C", 1), ("", "", 2), ("A", "A B C", 2), ("A B", "A B C", 3),
                              ("A B", "A B C", 2), ("A B C", "", 1)])


def random_pairs(module, ctx):
    g = ctx.generator()
    words = ["the", "cat", "sat", "on", "a", "mat"]
    pairs = []
    for _ in range(24):
        lp, ll = (int(x) for x in torch.randint(3, 10, (2,), generator=g))
        pred = " ".join(words[int(i)] for i in torch.randint(0, 4, (lp,), generator=g))
        label = " ".join(words[int(i)] for i in torch.randint(0, 6, (ll,), generator=g))
        k = int(torch.randint(1, 4, (1,), generator=g))
        pairs.append((pred, label, k))
    return run_calls(module, pairs)
