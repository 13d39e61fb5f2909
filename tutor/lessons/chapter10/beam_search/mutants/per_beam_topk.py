# diagnosis: beam_search.per_beam_topk
"""Wrong: after step 1, each beam is continued with its own best token, so beams never compete."""


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    candidates = []
    alive = [([], 0.0)]
    for step in range(max_len):
        kept = []
        for tokens, logp in alive:
            next_logp = step_fn([bos] + tokens).tolist()
            ranked = sorted(range(len(next_logp)), key=lambda t: next_logp[t], reverse=True)
            for token in ranked[: beam_size if step == 0 else 1]:
                kept.append((tokens + [token], logp + next_logp[token]))
        candidates.extend(kept)
        alive = [(tokens, logp) for tokens, logp in kept if tokens[-1] != eos]
        if not alive:
            break
    scored = [(tokens, logp / len(tokens) ** alpha) for tokens, logp in candidates]
    scored.sort(key=lambda c: c[1], reverse=True)
    return scored
