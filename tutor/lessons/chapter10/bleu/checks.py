"""Checks for chapter10/bleu, smallest first: the book's example, then clipping, the brevity
penalty, short and empty predictions, and seeded random sentence pairs."""

import torch

from tutor.grader.checks import Mismatch, PropertyCheck, ScenarioCheck, ValueCheck, compare_plain, fmt_array

F = "bleu"
BOOK_PRED, BOOK_LABEL = "A B B C D", "A B C D E F"


def one(pred, label, k):
    return lambda ctx: {"pred_seq": pred, "label_seq": label, "k": k}


def as_number(out):
    """A plain float when the learner returns any real number; anything else is left to fail."""
    if isinstance(out, (int, float)) and not isinstance(out, bool):
        return float(out)
    if type(out).__module__ == "numpy" and getattr(out, "shape", None) == ():
        return float(out)
    return out


def calls(*triples):
    """Several bleu calls in one check; the judge reports the first that differs."""
    def run(module, ctx):
        fn = getattr(module, F, None)
        if fn is None:
            raise AttributeError(f"your file does not define `{F}`")
        items = triples if not callable(triples[0]) else triples[0](ctx)
        return [{"call": f"bleu({p!r}, {l!r}, k={k})", "out": as_number(fn(p, l, k))} for p, l, k in items]
    return run


def judge_calls(got, expected, jc):
    if not isinstance(got, list) or len(got) != len(expected):
        return Mismatch("the scenario did not return one result per call")
    for g, e in zip(got, expected):
        m = compare_plain(g.get("out"), e["out"], what="result", rtol=1e-9, atol=1e-12)
        if m:
            return Mismatch(f"{e['call']}: expected {e['out']:.6g}, got {fmt_array(g.get('out'))}", {"input": e["call"]})
    return None


def random_pairs(ctx):
    g = ctx.generator()
    words = ["the", "cat", "sat", "on", "a", "mat"]
    pairs = []
    for _ in range(24):
        lp, ll = (int(x) for x in torch.randint(3, 10, (2,), generator=g))
        pred = " ".join(words[int(i)] for i in torch.randint(0, 4, (lp,), generator=g))
        label = " ".join(words[int(i)] for i in torch.randint(0, 6, (ll,), generator=g))
        k = int(torch.randint(1, 4, (1,), generator=g))
        pairs.append((pred, label, k))
    return pairs


def check(name, *triples):
    return ScenarioCheck(name, calls(*triples), judge_calls)


def is_one(out, inputs):
    return isinstance(out, float) and abs(out - 1.0) < 1e-12


CHECKS = [
    ValueCheck("the book's example: label 'A B C D E F', prediction 'A B B C D', k=2", F,
               one(BOOK_PRED, BOOK_LABEL, 2), transform=as_number, rtol=1e-9, atol=1e-12),
    check("the book's example with k = 1, 3 and 4 (k=4: no 4-gram matches, so 0)",
          (BOOK_PRED, BOOK_LABEL, 1), (BOOK_PRED, BOOK_LABEL, 3), (BOOK_PRED, BOOK_LABEL, 4)),
    check("clipping: a repeated word counts at most as often as it appears in the label",
          ("the the the the", "the cat", 1), ("A A B B", "A B C D", 2), ("the cat the cat", "the cat sat on the mat", 2)),
    check("brevity penalty: short predictions are penalised, long ones are not",
          ("A B", "A B C D E F", 2), ("A B C", "A B C D", 1), ("A B C D E F G H", "A B C D", 2)),
    check("short and empty predictions: empty, shorter than k, exactly k tokens, empty label",
          ("", "A B C", 1), ("", "", 2), ("A", "A B C", 2), ("A B", "A B C", 3), ("A B", "A B C", 2),
          ("A B C", "", 1)),
    check("24 random sentence pairs (6-word vocabulary, k from 1 to 3)", random_pairs),
    PropertyCheck("a perfect prediction scores exactly 1", F, one("the cat sat on the mat", "the cat sat on the mat", 4),
                  [("bleu(x, x, k) == 1.0", is_one)]),
]
