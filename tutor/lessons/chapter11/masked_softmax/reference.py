import torch


def masked_softmax(X: torch.Tensor, valid_lens: torch.Tensor | None) -> torch.Tensor:
    if valid_lens is None:
        keep = torch.ones_like(X, dtype=torch.bool)
    else:
        lens = valid_lens if valid_lens.dim() == 2 else valid_lens[:, None]  # (B, Lq) or (B, 1)
        keep = torch.arange(X.shape[-1], device=X.device) < lens[..., None]   # (B, Lq or 1, Lk)
        keep = keep.expand(X.shape)
    scores = X.masked_fill(~keep, float("-inf"))
    top = scores.amax(dim=-1, keepdim=True)
    top = torch.where(torch.isfinite(top), top, torch.zeros_like(top))  # a row with no valid entry: shift by 0
    exps = torch.exp(scores - top)                                        # exp(-inf) = 0 exactly
    total = exps.sum(dim=-1, keepdim=True)
    return exps / torch.where(total > 0, total, torch.ones_like(total))  # 0 / 1 = 0 on an empty row
