"""Correct, in another style: a numpy array of matches and totals per order, filled sentence by sentence."""

import numpy as np


def grams(tokens, n):
    out = {}
    for i in range(len(tokens) - n + 1):
        g = " ".join(tokens[i:i + n])
        out[g] = out.get(g, 0) + 1
    return out


def corpus_bleu(hypotheses, references):
    matches, totals = np.zeros(4), np.zeros(4)
    c = r = 0
    for hyp, ref in zip(hypotheses, references):
        h, t = hyp.split(), ref.split()
        c, r = c + len(h), r + len(t)
        for n in range(1, 5):
            hg, tg = grams(h, n), grams(t, n)
            matches[n - 1] += sum(min(k, tg.get(g, 0)) for g, k in hg.items())
            totals[n - 1] += sum(hg.values())
    if c == 0 or (matches == 0).any():
        return 0.0
    bp = 1.0 if c > r else float(np.exp(1 - r / c))
    return float(100 * bp * np.exp(np.log(matches / totals).mean()))
