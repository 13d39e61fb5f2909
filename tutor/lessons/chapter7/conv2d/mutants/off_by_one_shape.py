# diagnosis: conv2d.off_by_one_shape
import torch


def conv2d(X, W, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    Xp = torch.nn.functional.pad(X, (pw, pw, ph, ph))
    kh, kw = W.shape[2:]
    oh = (Xp.shape[2] - kh) // sh  # forgets the + 1
    ow = (Xp.shape[3] - kw) // sw
    Y = X.new_zeros(X.shape[0], W.shape[0], oh, ow)
    for a in range(kh):
        for c in range(kw):
            patch = Xp[:, :, a:a + sh * oh:sh, c:c + sw * ow:sw]
            Y = Y + torch.einsum("nchw,oc->nohw", patch, W[:, :, a, c])
    return Y if b is None else Y + b.view(1, -1, 1, 1)
