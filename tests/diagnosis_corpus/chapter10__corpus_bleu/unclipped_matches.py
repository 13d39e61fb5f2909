# mistake: counts every hypothesis n-gram found in the reference, without clipping by how often the reference has it
import math


def corpus_bleu(hypotheses: list[str], references: list[str]) -> float:
    matches = [0] * 4
    totals = [0] * 4
    c = r = 0
    for hyp, ref in zip(hypotheses, references):
        h, rf = hyp.split(), ref.split()
        c += len(h)
        r += len(rf)
        for n in range(1, 5):
            ref_grams = [tuple(rf[i:i + n]) for i in range(len(rf) - n + 1)]
            for i in range(len(h) - n + 1):
                totals[n - 1] += 1
                if tuple(h[i:i + n]) in ref_grams:
                    matches[n - 1] += 1
    if c == 0 or 0 in matches:
        return 0.0
    bp = math.exp(1 - r / c) if c < r else 1.0
    geo = math.exp(sum(math.log(m / t) for m, t in zip(matches, totals)) / 4)
    return 100 * bp * geo
