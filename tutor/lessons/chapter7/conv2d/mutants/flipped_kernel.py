# diagnosis: conv2d.flipped_kernel
import torch


def conv2d(X, W, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    W = torch.flip(W, dims=(2, 3))
    Xp = torch.nn.functional.pad(X, (pw, pw, ph, ph))
    windows = Xp.unfold(2, W.shape[2], sh).unfold(3, W.shape[3], sw)
    Y = torch.einsum("nchwij,ocij->nohw", windows, W)
    return Y if b is None else Y + b.view(1, -1, 1, 1)
