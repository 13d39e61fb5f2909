import torch


def _pair(v):
    return (int(v), int(v)) if isinstance(v, int) else (int(v[0]), int(v[1]))


def pool2d(X, pool_size, stride=None, padding=0, mode="max"):
    kh, kw = _pair(pool_size)
    sh, sw = _pair(pool_size if stride is None else stride)
    ph, pw = _pair(padding)
    if mode not in ("max", "avg"):
        raise ValueError(f"mode must be 'max' or 'avg', got {mode!r}")
    N, C, H, W = X.shape
    fill = float("-inf") if mode == "max" else 0.0
    Xp = X.new_full((N, C, H + 2 * ph, W + 2 * pw), fill)
    Xp[:, :, ph:ph + H, pw:pw + W] = X
    oh = (H + 2 * ph - kh) // sh + 1
    ow = (W + 2 * pw - kw) // sw + 1
    slices = [Xp[:, :, a:a + sh * (oh - 1) + 1:sh, b:b + sw * (ow - 1) + 1:sw] for a in range(kh) for b in range(kw)]
    stacked = torch.stack(slices)
    if mode == "max":
        return stacked.max(dim=0).values
    return stacked.sum(dim=0) / (kh * kw)
