import torch


def additive_attention(queries, keys, values, W_q, W_k, w_v, mask=None):
    """Score every (query, key) pair in a loop, as the formula reads; softmax written out."""
    B, Lq, _ = queries.shape
    Lk = keys.shape[1]
    allowed = torch.ones(B, Lq, Lk, dtype=torch.bool) if mask is None else torch.broadcast_to(mask, (B, Lq, Lk))
    out = []
    for b in range(B):
        rows = []
        for i in range(Lq):
            q = queries[b, i] @ W_q
            scores = [torch.tanh(q + keys[b, j] @ W_k) @ w_v for j in range(Lk) if allowed[b, i, j]]
            if not scores:
                rows.append(torch.zeros_like(values[b, 0]))
                continue
            s = torch.stack(scores)
            e = torch.exp(s - s.max())
            rows.append((e / e.sum()) @ values[b][allowed[b, i]])
        out.append(torch.stack(rows))
    return torch.stack(out)
