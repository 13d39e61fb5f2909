"""Checks for chapter10/corpus_bleu, smallest first.

sacrebleu is the external oracle: on the grader's side each scenario also asks sacrebleu
(tokenize='none', smooth_method='none', one reference stream) for its score, and the learner's
number must match both sacrebleu and reference.py. The learner's child never imports sacrebleu.
"""

import torch

from tutor.grader.checks import Mismatch, PropertyCheck, ScenarioCheck

F = "corpus_bleu"

LESSON = (["the cat sat on the mat", "a cat sat on a mat"],
          ["the cat sat on the mat", "the cat sat on the red mat"])


def sacrebleu_score(hypotheses, references):
    from sacrebleu.metrics import BLEU

    metric = BLEU(tokenize="none", smooth_method="none", force=True)
    return float(metric.corpus_score(list(hypotheses), [list(references)]).score)


def as_number(out):
    if isinstance(out, (int, float)) and not isinstance(out, bool):
        return float(out)
    if type(out).__module__ == "numpy" and getattr(out, "shape", None) == ():
        return float(out)
    return out


def corpora(*cases):
    """cases: (label, hypotheses, references) or a function ctx -> list of such cases."""
    def run(module, ctx):
        fn = getattr(module, F, None)
        if fn is None:
            raise AttributeError(f"your file does not define `{F}`")
        items = cases[0](ctx) if callable(cases[0]) else cases
        out = []
        for label, hyps, refs in items:
            row = {"label": label, "out": as_number(fn(list(hyps), list(refs)))}
            if ctx.role == "reference":  # the grader's expected side only
                row["sacrebleu"] = sacrebleu_score(hyps, refs)
            out.append(row)
        return out
    return run


def close(a, b):
    return isinstance(a, float) and abs(a - b) <= 1e-9 + 1e-9 * abs(b)


def judge(got, expected, jc):
    if not isinstance(got, list) or len(got) != len(expected):
        return Mismatch("the scenario did not return one result per corpus")
    for g, e in zip(got, expected):
        value = g.get("out")
        if not isinstance(value, float):
            return Mismatch(f"{e['label']}: corpus_bleu should return a float, got {type(value).__name__}")
        if not close(value, e["sacrebleu"]):
            return Mismatch(f"{e['label']}: sacrebleu gives {e['sacrebleu']:.6f}, you give {value:.6f}")
        if not close(value, e["out"]):  # only if reference.py and sacrebleu ever disagree
            return Mismatch(f"{e['label']}: the reference gives {e['out']:.6f}, you give {value:.6f}")
    return None


def fraction_scale(got, expected):
    """Every nonzero answer is exactly the 0-100 score divided by 100."""
    if not isinstance(got, list) or len(got) != len(expected):
        return None
    nonzero = [(g.get("out"), e["sacrebleu"]) for g, e in zip(got, expected) if e["sacrebleu"] > 0]
    if nonzero and all(isinstance(v, float) and abs(v * 100 - s) <= 1e-6 * s for v, s in nonzero):
        return "corpus_bleu.fraction_scale"
    return None


def check(name, *cases):
    return ScenarioCheck(name, corpora(*cases), judge, detectors=(fraction_scale,))


WORDS = ["the", "a", "cat", "dog", "sat", "ran", "on", "mat", "far", "away"]


def random_corpus(size, copy_rate):
    """References from a small vocabulary; hypotheses copy most reference words and change a few."""
    def make(ctx):
        g = ctx.generator(size)
        hyps, refs = [], []
        for _ in range(size):
            n = int(torch.randint(4, 14, (1,), generator=g))
            ref = [WORDS[int(i)] for i in torch.randint(0, len(WORDS), (n,), generator=g)]
            hyp = [w if float(torch.rand(1, generator=g)) < copy_rate else WORDS[int(torch.randint(0, 10, (1,), generator=g))]
                   for w in ref]
            cut = int(torch.randint(-2, 3, (1,), generator=g))
            hyp = hyp[:len(hyp) + cut] if cut < 0 else hyp + hyp[:cut]
            hyps.append(" ".join(hyp))
            refs.append(" ".join(ref))
        return hyps, refs
    return make


def random_cases(ctx):
    return [(f"random corpus #{i} ({size} sentences, about {int(rate * 100)}% of words kept)",
             *random_corpus(size, rate)(ctx))
            for i, (size, rate) in enumerate([(20, 0.8), (30, 0.6), (12, 0.9)], start=1)]


def within_0_100(out, inputs):
    return isinstance(out, float) and 0.0 <= out <= 100.0


CHECKS = [
    check("the lesson's two-sentence corpus (sacrebleu: 60.1174)", ("the lesson's corpus", *LESSON)),
    check("three random corpora agree with sacrebleu", random_cases),
    check("a perfect copy scores 100; a corpus of one sentence",
          ("perfect copy", ["the cat sat on the mat", "a dog ran far away"], ["the cat sat on the mat", "a dog ran far away"]),
          ("one sentence", ["the cat sat on a mat today"], ["the cat sat on the mat"])),
    check("brevity penalty from the total lengths: short corpus penalised, long corpus not",
          ("hypotheses shorter in total", ["the cat sat on the", "a dog ran far away now"],
           ["the cat sat on the mat", "a dog ran far away"]),
          ("hypotheses longer in total", ["the cat sat on the mat again and again", "a dog ran far"],
           ["the cat sat on the mat", "a dog ran far away"])),
    check("no smoothing: a missing n-gram order gives 0; empty and short hypotheses",
          ("no 4-gram matches anywhere", ["the cat sat on a mat", "a dog ran"], ["the cat sat the mat", "a dog sat"]),
          ("every hypothesis shorter than 4 tokens", ["the cat sat", "a dog"], ["the cat sat", "a dog"]),
          ("one empty hypothesis among good ones", ["the cat sat on the mat", "", "a dog ran far away"],
           ["the cat sat on the mat", "the end", "a dog ran far away"]),
          ("only empty hypotheses", ["", ""], ["the cat", "a dog"])),
    check("pooled counts, not an average of sentence scores",
          ("one sentence without a 4-gram match", *LESSON),
          ("mixed corpus", ["the cat sat on the mat", "a cat sat", "the dog ran far away from the cat"],
           ["the cat sat on the mat", "a cat sat on the mat", "the dog ran away from the cat"])),
    PropertyCheck("the score is on sacrebleu's 0-100 scale", F,
                  lambda ctx: {"hypotheses": ["the cat sat on the mat", "a dog ran far away"],
                               "references": ["the cat sat on the mat", "a dog ran far away"]},
                  [("a perfect copy scores 100.0", lambda out, inp: isinstance(out, (int, float)) and abs(out - 100.0) < 1e-9),
                   ("the score lies between 0 and 100", lambda out, inp: within_0_100(float(out), inp))],
                  detectors=(lambda got, expected: "corpus_bleu.fraction_scale"
                             if isinstance(got.get("out"), (int, float)) and abs(got["out"] - 1.0) < 1e-9 else None,)),
]
