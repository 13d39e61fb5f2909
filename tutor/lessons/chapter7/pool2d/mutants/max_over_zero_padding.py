# diagnosis: pool2d.max_over_zero_padding
import torch.nn.functional as F


def pool2d(X, pool_size, stride=None, padding=0, mode="max"):
    kh, kw = (pool_size, pool_size) if isinstance(pool_size, int) else pool_size
    sh, sw = (kh, kw) if stride is None else ((stride, stride) if isinstance(stride, int) else stride)
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    Xp = F.pad(X, (pw, pw, ph, ph))  # zeros, for max too
    windows = Xp.unfold(2, kh, sh).unfold(3, kw, sw)
    return windows.amax(dim=(-2, -1)) if mode == "max" else windows.mean(dim=(-2, -1))
