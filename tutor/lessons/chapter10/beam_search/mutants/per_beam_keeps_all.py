# diagnosis: beam_search.per_beam_keeps_all
"""Wrong: each beam keeps its own beam_size best extensions, so the beam grows beam_size-fold every step."""


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    candidates = []
    alive = [([], 0.0)]
    for _ in range(max_len):
        kept = []
        for tokens, logp in alive:
            next_logp = step_fn([bos] + tokens).tolist()
            ranked = sorted(range(len(next_logp)), key=lambda t: next_logp[t], reverse=True)
            kept += [(tokens + [token], logp + next_logp[token]) for token in ranked[:beam_size]]
        candidates.extend(kept)
        alive = [(tokens, logp) for tokens, logp in kept if tokens[-1] != eos]
        if not alive:
            break
    scored = [(tokens, logp / len(tokens) ** alpha) for tokens, logp in candidates]
    scored.sort(key=lambda c: c[1], reverse=True)
    return scored
