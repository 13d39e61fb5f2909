import torch


def masked_softmax(X, valid_lens):
    """D2L's route: flatten to rows with one length each (repeat_interleave), exponentiate the
    valid scores, multiply by a 0/1 mask and normalise, guarding empty rows."""
    shape = X.shape
    rows = X.reshape(-1, shape[-1])
    if valid_lens is None:
        lens = torch.full((rows.shape[0],), shape[-1])
    elif valid_lens.dim() == 1:
        lens = torch.repeat_interleave(valid_lens, shape[1])
    else:
        lens = valid_lens.reshape(-1)
    valid = torch.arange(shape[-1])[None, :] < lens[:, None]
    # Shift each row by its largest *valid* score (0 for an empty row); masked scores never enter exp.
    lowest = torch.finfo(X.dtype).min
    top = torch.where(valid, rows, torch.full_like(rows, lowest)).max(dim=1, keepdim=True).values
    top = torch.where(lens[:, None] > 0, top, torch.zeros_like(top))
    e = torch.exp(torch.where(valid, rows - top, torch.zeros_like(rows))) * valid.to(X.dtype)
    out = e / e.sum(dim=1, keepdim=True).clamp_min(torch.finfo(X.dtype).tiny)
    return out.reshape(shape)
