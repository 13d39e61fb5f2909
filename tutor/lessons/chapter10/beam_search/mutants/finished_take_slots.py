# diagnosis: beam_search.finished_take_slots
"""Wrong: finished sequences stay in the beam and compete for its places with the new extensions."""


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    candidates = []
    beam = [([], 0.0)]
    for _ in range(max_len):
        pool = []
        for tokens, logp in beam:
            if tokens and tokens[-1] == eos:
                pool.append((tokens, logp, False))      # carried over, not extended
                continue
            for token, lp in enumerate(step_fn([bos] + tokens).tolist()):
                pool.append((tokens + [token], logp + lp, True))
        pool.sort(key=lambda e: e[1], reverse=True)
        beam = [(tokens, logp) for tokens, logp, _ in pool[:beam_size]]
        candidates += [(tokens, logp) for tokens, logp, new in pool[:beam_size] if new]
        if all(tokens[-1] == eos for tokens, _ in beam):
            break
    scored = [(tokens, logp / len(tokens) ** alpha) for tokens, logp in candidates]
    scored.sort(key=lambda c: c[1], reverse=True)
    return scored
