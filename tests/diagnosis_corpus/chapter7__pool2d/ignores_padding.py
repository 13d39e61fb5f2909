# mistake: accepts a padding argument but never pads, so padded pooling gives a smaller output
import torch


def pool2d(X: torch.Tensor, pool_size, stride=None, padding=0, mode: str = "max") -> torch.Tensor:
    p_h, p_w = (pool_size, pool_size) if isinstance(pool_size, int) else pool_size
    s_h, s_w = (p_h, p_w) if stride is None else ((stride, stride) if isinstance(stride, int) else stride)
    windows = X.unfold(2, p_h, s_h).unfold(3, p_w, s_w)
    if mode == "max":
        return windows.amax(dim=(-1, -2))
    elif mode == "avg":
        return windows.mean(dim=(-1, -2))
    raise ValueError(mode)
