"""Correct: scores of all beams × all tokens in one (n, V) tensor, global top-k on the flattened view."""

import torch


def beam_search(step_fn, bos, eos, beam_size, max_len, alpha=0.75):
    found = []
    seqs = [[]]
    totals = torch.zeros(1, dtype=torch.float64)
    for _ in range(max_len):
        table = torch.stack([step_fn([bos, *s]).to(torch.float64) for s in seqs])  # (n, V)
        scores = (totals[:, None] + table).flatten()
        k = min(beam_size, scores.numel())
        best, index = torch.topk(scores, k)
        vocab = table.shape[1]
        next_seqs, next_totals = [], []
        for total, flat in zip(best.tolist(), index.tolist()):
            seq = seqs[flat // vocab] + [flat % vocab]
            found.append((seq, total))
            if seq[-1] != eos:
                next_seqs.append(seq)
                next_totals.append(total)
        if not next_seqs:
            break
        seqs, totals = next_seqs, torch.tensor(next_totals, dtype=torch.float64)
    result = [(seq, total / len(seq) ** alpha) for seq, total in found]
    return sorted(result, key=lambda pair: -pair[1])
