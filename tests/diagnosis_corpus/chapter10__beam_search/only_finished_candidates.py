# mistake: returns only the finished sequences (those ending in eos) as candidates, as a translation system would
import torch


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    alive = [([], 0.0)]
    finished = []
    for _ in range(max_len):
        scores = []
        for tokens, logp in alive:
            step = step_fn([bos] + tokens)
            for tok in range(len(step)):
                scores.append((logp + step[tok].item(), tokens + [tok]))
        scores.sort(reverse=True)
        alive = []
        for logp, tokens in scores[:beam_size]:
            if tokens[-1] == eos:
                finished.append((tokens, logp))
            else:
                alive.append((tokens, logp))
        if not alive:
            break
    if not finished:
        finished = alive
    return sorted([(t, lp / len(t) ** alpha) for t, lp in finished], key=lambda x: x[1], reverse=True)
