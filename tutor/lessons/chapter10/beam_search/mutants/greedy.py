# diagnosis: beam_search.greedy
"""Wrong: keeps only the single best extension, whatever beam_size says."""


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
        kept = extensions[:1]
        candidates.extend(kept)
        alive = [(tokens, logp) for tokens, logp in kept if tokens[-1] != eos]
        if not alive:
            break
    scored = [(tokens, logp / len(tokens) ** alpha) for tokens, logp in candidates]
    scored.sort(key=lambda c: c[1], reverse=True)
    return scored
