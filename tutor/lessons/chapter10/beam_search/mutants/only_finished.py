# diagnosis: beam_search.only_finished
"""Wrong: only sequences that end in eos are returned (the alive ones only when none finished)."""


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    finished = []
    alive = [([], 0.0)]
    for _ in range(max_len):
        extensions = []
        for tokens, logp in alive:
            next_logp = step_fn([bos] + tokens).tolist()
            for token, lp in enumerate(next_logp):
                extensions.append((tokens + [token], logp + lp))
        extensions.sort(key=lambda e: e[1], reverse=True)
        kept = extensions[:beam_size]
        finished += [(tokens, logp) for tokens, logp in kept if tokens[-1] == eos]
        alive = [(tokens, logp) for tokens, logp in kept if tokens[-1] != eos]
        if not alive:
            break
    candidates = finished or alive
    scored = [(tokens, logp / len(tokens) ** alpha) for tokens, logp in candidates]
    scored.sort(key=lambda c: c[1], reverse=True)
    return scored
