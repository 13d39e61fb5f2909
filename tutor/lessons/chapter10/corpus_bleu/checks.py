"""Scenarios of chapter10/corpus_bleu. The oracle is sacrebleu itself (tokenize='none',
smooth_method='none', one reference stream), run by the grader: the learner's number must match
it, and reference.py must too. The learner's child never imports sacrebleu."""

from types import SimpleNamespace

import torch

from tutor.grader import kit

LESSON = (["the cat sat on the mat", "a cat sat on a mat"],
          ["the cat sat on the mat", "the cat sat on the red mat"])


def sacrebleu_score(hypotheses, references):
    from sacrebleu.metrics import BLEU

    metric = BLEU(tokenize="none", smooth_method="none", force=True)
    return float(metric.corpus_score(list(hypotheses), [list(references)]).score)


def sacrebleu_oracle():
    return SimpleNamespace(corpus_bleu=sacrebleu_score)


def as_number(out):
    if isinstance(out, (int, float)) and not isinstance(out, bool):
        return float(out)
    if type(out).__module__ == "numpy" and getattr(out, "shape", None) == ():
        return float(out)
    return out


def run_corpora(module, cases):
    score = kit.function(module, "corpus_bleu")
    return [{"label": label, "out": as_number(score(list(hyps), list(refs)))} for label, hyps, refs in cases]


def close(a, b):
    return isinstance(a, float) and abs(a - b) <= 1e-9 + 1e-9 * abs(b)


def judge(got, expected, jc):
    if len(got) != len(expected):
        return kit.Mismatch("the scenario did not return one result per corpus")
    for g, e in zip(got, expected):
        value = g.get("out")
        if not isinstance(value, float):
            return kit.Mismatch(f"{e['label']}: corpus_bleu should return a float, got {type(value).__name__}")
        if not close(value, e["out"]):
            return kit.Mismatch(f"{e['label']}: sacrebleu gives {e['out']:.6f}, you give {value:.6f}")
    return None


def fraction_scale(got, expected):
    """Every nonzero answer is exactly the 0-100 score divided by 100."""
    if not isinstance(got, list) or len(got) != len(expected):
        return None
    nonzero = [(g.get("out"), e["out"]) for g, e in zip(got, expected) if e["out"] > 0]
    if nonzero and all(isinstance(v, float) and abs(v * 100 - s) <= 1e-6 * s for v, s in nonzero):
        return "corpus_bleu.fraction_scale"
    return None


def fraction_scale_single(got, expected):
    out = got.get("out")
    return "corpus_bleu.fraction_scale" if isinstance(out, (int, float)) and abs(out - 1.0) < 1e-9 else None


def in_0_100(out, inputs):
    return isinstance(out, (int, float)) and 0.0 <= float(out) <= 100.0


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


def lesson_corpus(module, ctx):
    return run_corpora(module, [("the lesson's corpus", *LESSON)])


def random_corpora(module, ctx):
    return run_corpora(module, random_cases(ctx))


def perfect_and_single(module, ctx):
    return run_corpora(module, [
        ("perfect copy", ["the cat sat on the mat", "a dog ran far away"], ["the cat sat on the mat", "a dog ran far away"]),
        ("one sentence", ["the cat sat on a mat today"], ["the cat sat on the mat"])])


def brevity(module, ctx):
    return run_corpora(module, [
        ("hypotheses shorter in total", ["the cat sat on the", "a dog ran far away now"],
         ["the cat sat on the mat", "a dog ran far away"]),
        ("hypotheses longer in total", ["the cat sat on the mat again and again", "a dog ran far"],
         ["the cat sat on the mat", "a dog ran far away"])])


def no_smoothing(module, ctx):
    return run_corpora(module, [
        ("no 4-gram matches anywhere", ["the cat sat on a mat", "a dog ran"], ["the cat sat the mat", "a dog sat"]),
        ("every hypothesis shorter than 4 tokens", ["the cat sat", "a dog"], ["the cat sat", "a dog"]),
        ("one empty hypothesis among good ones", ["the cat sat on the mat", "", "a dog ran far away"],
         ["the cat sat on the mat", "the end", "a dog ran far away"]),
        ("only empty hypotheses", ["", ""], ["the cat", "a dog"])])


def pooled_counts(module, ctx):
    return run_corpora(module, [
        ("one sentence without a 4-gram match", *LESSON),
        ("mixed corpus", ["the cat sat on the mat", "a cat sat", "the dog ran far away from the cat"],
         ["the cat sat on the mat", "a cat sat on the mat", "the dog ran away from the cat"])])
