# diagnosis: conv2d.bias_ignored
import torch


def conv2d(X, W, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    Xp = torch.nn.functional.pad(X, (pw, pw, ph, ph))
    windows = Xp.unfold(2, W.shape[2], sh).unfold(3, W.shape[3], sw)
    return torch.einsum("nchwij,ocij->nohw", windows, W)
