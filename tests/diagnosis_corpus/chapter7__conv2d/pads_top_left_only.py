# mistake: pads only the left and top with F.pad(X, (p, 0, p, 0)) and takes the output size from that padded tensor
import torch
import torch.nn.functional as F


def conv2d(X: torch.Tensor, W: torch.Tensor, b: torch.Tensor | None = None, stride=1, padding=0) -> torch.Tensor:
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    Xp = F.pad(X, (pw, 0, ph, 0))
    N, C, H, Wd = Xp.shape
    O, _, kh, kw = W.shape
    oh = (H - kh) // sh + 1
    ow = (Wd - kw) // sw + 1
    Y = X.new_zeros(N, O, oh, ow)
    for a in range(kh):
        for c in range(kw):
            patch = Xp[:, :, a:a + sh * (oh - 1) + 1:sh, c:c + sw * (ow - 1) + 1:sw]
            Y = Y + torch.einsum("nchw,oc->nohw", patch, W[:, :, a, c])
    if b is not None:
        Y = Y + b.view(1, -1, 1, 1)
    return Y
