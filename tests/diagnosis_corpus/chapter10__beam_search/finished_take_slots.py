# mistake: carries finished sequences into the next step's sort, so they keep taking places in the beam
import torch


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    beam = [([], 0.0)]
    seen = []
    for _ in range(max_len):
        pool = []
        for tokens, logp in beam:
            if tokens and tokens[-1] == eos:
                pool.append((tokens, logp))          # finished: keep it as it is
                continue
            step = step_fn([bos] + tokens)
            for tok, lp in enumerate(step.tolist()):
                pool.append((tokens + [tok], logp + lp))
        pool.sort(key=lambda p: p[1], reverse=True)
        beam = pool[:beam_size]
        for cand in beam:
            if cand not in seen:
                seen.append(cand)
        if all(t and t[-1] == eos for t, _ in beam):
            break
    ranked = [(t, lp / len(t) ** alpha) for t, lp in seen]
    ranked.sort(key=lambda r: r[1], reverse=True)
    return ranked
