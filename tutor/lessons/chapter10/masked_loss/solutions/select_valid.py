import torch


def teacher_forcing_inputs(targets, bos):
    # Shift right with roll, then overwrite the wrapped-around column with bos.
    shifted = targets.roll(1, dims=1).clone()
    shifted[:, 0] = bos
    return shifted


def masked_cross_entropy(logits, targets, valid_len):
    B, T, V = logits.shape
    keep = torch.arange(T).expand(B, T) < valid_len.unsqueeze(1)
    picked = logits[keep]                      # (N, V): only the real tokens
    labels = targets[keep]                     # (N,)
    nll = torch.logsumexp(picked, dim=1) - picked[torch.arange(len(labels)), labels]
    return nll.mean()
