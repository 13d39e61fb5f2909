import torch.nn.functional as F


def pool2d(X, pool_size, stride=None, padding=0, mode="max"):
    kh, kw = (pool_size, pool_size) if isinstance(pool_size, int) else pool_size
    if stride is None:
        stride = (kh, kw)
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    value = float("-inf") if mode == "max" else 0.0
    Xp = F.pad(X, (pw, pw, ph, ph), value=value)
    windows = Xp.unfold(2, kh, sh).unfold(3, kw, sw)  # (N, C, oh, ow, kh, kw)
    if mode == "max":
        return windows.amax(dim=(-2, -1))
    return windows.mean(dim=(-2, -1))
