# mistake: flips the kernel in both spatial axes (true convolution) before sliding it
import torch
import torch.nn.functional as F


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def conv2d(X: torch.Tensor, W: torch.Tensor, b: torch.Tensor | None = None, stride=1, padding=0) -> torch.Tensor:
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    Xp = F.pad(X, (pw, pw, ph, ph))
    Wf = torch.flip(W, dims=(2, 3))
    kh, kw = W.shape[2:]
    patches = Xp.unfold(2, kh, sh).unfold(3, kw, sw)        # (N, C, oh, ow, kh, kw)
    Y = torch.einsum("ncijab,ocab->noij", patches, Wf)
    if b is not None:
        Y = Y + b.view(1, -1, 1, 1)
    return Y
