# mistake: prunes the beam at every step by the length-normalised score instead of the plain log-probability
import torch


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    def score(tokens, logp):
        return logp / len(tokens) ** alpha

    alive = [([], 0.0)]
    candidates = []
    for _ in range(max_len):
        ext = []
        for tokens, logp in alive:
            lp = step_fn([bos] + tokens)
            for v in range(len(lp)):
                ext.append((tokens + [v], logp + float(lp[v])))
        ext.sort(key=lambda e: score(*e), reverse=True)
        kept = ext[:beam_size]
        candidates.extend(kept)
        alive = [e for e in kept if e[0][-1] != eos]
        if not alive:
            break
    result = [(t, score(t, lp)) for t, lp in candidates]
    result.sort(key=lambda r: r[1], reverse=True)
    return result
