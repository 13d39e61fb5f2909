# mistake: extends each beam by its own top beam_size tokens and keeps all of them, instead of the best beam_size over all beams
import torch


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    candidates = []
    alive = [([], 0.0)]
    for _ in range(max_len):
        new_alive = []
        for tokens, logp in alive:
            logits = step_fn([bos] + tokens)
            k = min(beam_size, logits.numel())
            values, indices = torch.topk(logits, k)
            for v, i in zip(values.tolist(), indices.tolist()):
                seq = (tokens + [i], logp + v)
                candidates.append(seq)
                if i != eos:
                    new_alive.append(seq)
        alive = new_alive
        if not alive:
            break
    scored = [(t, lp / len(t) ** alpha) for t, lp in candidates]
    return sorted(scored, key=lambda c: c[1], reverse=True)
