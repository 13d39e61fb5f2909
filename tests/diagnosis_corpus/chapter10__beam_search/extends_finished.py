# mistake: keeps extending sequences that already end in eos, as if eos were an ordinary token
import torch


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    beams = [([], 0.0)]
    candidates = []
    for _ in range(max_len):
        pool = []
        for seq, lp in beams:
            logprobs = step_fn([bos] + seq).tolist()
            pool.extend((seq + [v], lp + logprobs[v]) for v in range(len(logprobs)))
        beams = sorted(pool, key=lambda x: -x[1])[:beam_size]
        candidates.extend(beams)
    out = [(seq, lp / (len(seq) ** alpha)) for seq, lp in candidates]
    out.sort(key=lambda x: x[1], reverse=True)
    return out
