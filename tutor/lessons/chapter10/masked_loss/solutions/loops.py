import torch


def teacher_forcing_inputs(targets, bos):
    rows = []
    for row in targets.tolist():
        rows.append([bos] + row[:-1])
    return torch.tensor(rows, dtype=targets.dtype).reshape(targets.shape)


def masked_cross_entropy(logits, targets, valid_len):
    # One sequence at a time, cut to its real tokens: padding is never even looked at.
    total, count = 0.0, 0
    for b in range(targets.shape[0]):
        n = int(valid_len[b])
        if n == 0:
            continue
        rows, labels = logits[b, :n], targets[b, :n]            # (n, V), (n,)
        m = rows.max(dim=1, keepdim=True).values
        lse = (m + torch.log(torch.exp(rows - m).sum(dim=1, keepdim=True))).squeeze(1)
        picked = rows[torch.arange(n), labels]
        total = total + (lse - picked).sum()
        count += n
    return total / count
