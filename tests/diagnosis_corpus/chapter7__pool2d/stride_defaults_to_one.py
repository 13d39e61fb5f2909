# mistake: treats stride=None as stride 1, so the windows overlap instead of sitting side by side
import torch


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def pool2d(X: torch.Tensor, pool_size, stride=None, padding=0, mode: str = "max") -> torch.Tensor:
    kh, kw = _pair(pool_size)
    sh, sw = _pair(stride if stride is not None else 1)
    ph, pw = _pair(padding)
    N, C, H, W = X.shape
    fill = float("-inf") if mode == "max" else 0.0
    Xp = X.new_full((N, C, H + 2 * ph, W + 2 * pw), fill)
    Xp[:, :, ph:ph + H, pw:pw + W] = X
    oh = (H + 2 * ph - kh) // sh + 1
    ow = (W + 2 * pw - kw) // sw + 1
    slices = [Xp[:, :, a:a + sh * (oh - 1) + 1:sh, b:b + sw * (ow - 1) + 1:sw]
              for a in range(kh) for b in range(kw)]
    S = torch.stack(slices)
    return S.max(dim=0).values if mode == "max" else S.sum(dim=0) / (kh * kw)
