# mistake: ranks the candidates by their raw log-probability, forgetting to divide by len(tokens) ** alpha
import torch


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    candidates = []
    alive = [([], 0.0)]
    for _ in range(max_len):
        extensions = []
        for tokens, logp in alive:
            step = step_fn([bos] + tokens)
            for tok in range(step.shape[0]):
                extensions.append((tokens + [tok], logp + step[tok].item()))
        extensions.sort(key=lambda e: e[1], reverse=True)
        kept = extensions[:beam_size]
        candidates += kept
        alive = [(t, lp) for t, lp in kept if t[-1] != eos]
        if not alive:
            break
    return sorted(candidates, key=lambda c: c[1], reverse=True)
