# diagnosis: beam_search.extends_finished
"""Wrong: keeps extending sequences that already ended in eos."""


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    candidates = []               # every (tokens, log P) kept at any step
    alive = [([], 0.0)]           # the unfinished sequences to extend next
    for _ in range(max_len):
        extensions = []
        for tokens, logp in alive:
            next_logp = step_fn([bos] + tokens).tolist()
            for token, lp in enumerate(next_logp):
                extensions.append((tokens + [token], logp + lp))
        extensions.sort(key=lambda e: e[1], reverse=True)
        kept = extensions[:beam_size]          # global top-k over all beams × all tokens
        candidates.extend(kept)
        alive = [(tokens, logp) for tokens, logp in kept]
        if not alive:
            break
    scored = [(tokens, logp / len(tokens) ** alpha) for tokens, logp in candidates]
    scored.sort(key=lambda c: c[1], reverse=True)
    return scored
