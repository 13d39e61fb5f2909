# mistake: pads with -inf once for both modes, so average pooling gives -inf wherever a window touches the border
import torch
import torch.nn.functional as F


def pool2d(X: torch.Tensor, pool_size, stride=None, padding=0, mode: str = "max") -> torch.Tensor:
    kh, kw = (pool_size, pool_size) if isinstance(pool_size, int) else pool_size
    sh, sw = (kh, kw) if stride is None else ((stride, stride) if isinstance(stride, int) else stride)
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    Xp = F.pad(X, (pw, pw, ph, ph), value=-float("inf"))
    oh = (Xp.shape[2] - kh) // sh + 1
    ow = (Xp.shape[3] - kw) // sw + 1
    S = torch.stack([Xp[:, :, a:a + sh * (oh - 1) + 1:sh, b:b + sw * (ow - 1) + 1:sw]
                     for a in range(kh) for b in range(kw)])
    if mode == "max":
        return S.max(dim=0).values
    return S.mean(dim=0)
