# mistake: counts a partial last window (ceil instead of floor), pooling whatever part of it is inside
import math

import torch


def pool2d(X: torch.Tensor, pool_size, stride=None, padding=0, mode: str = "max") -> torch.Tensor:
    kh, kw = (pool_size, pool_size) if isinstance(pool_size, int) else pool_size
    if stride is None:
        stride = pool_size
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    N, C, H, W = X.shape
    fill = float("-inf") if mode == "max" else 0.0
    Xp = X.new_full((N, C, H + 2 * ph, W + 2 * pw), fill)
    Xp[:, :, ph:ph + H, pw:pw + W] = X
    oh = math.ceil((H + 2 * ph - kh) / sh) + 1
    ow = math.ceil((W + 2 * pw - kw) / sw) + 1
    rows = []
    for i in range(oh):
        cols = []
        for j in range(ow):
            win = Xp[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
            if mode == "max":
                cols.append(win.amax(dim=(-2, -1)))
            else:
                cols.append(win.sum(dim=(-2, -1)) / (kh * kw))
        rows.append(torch.stack(cols, dim=-1))
    return torch.stack(rows, dim=-2)
