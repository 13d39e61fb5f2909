import torch


def _pair(v):
    return (int(v), int(v)) if isinstance(v, int) else (int(v[0]), int(v[1]))


def conv2d(X, W, b=None, stride=1, padding=0):
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    N, C, H, Wd = X.shape
    CO, _, kh, kw = W.shape
    if ph or pw:
        Xp = X.new_zeros(N, C, H + 2 * ph, Wd + 2 * pw)
        Xp[:, :, ph:ph + H, pw:pw + Wd] = X
    else:
        Xp = X
    oh = (H + 2 * ph - kh) // sh + 1
    ow = (Wd + 2 * pw - kw) // sw + 1
    Y = X.new_zeros(N, CO, oh, ow)
    for a in range(kh):
        for c in range(kw):
            patch = Xp[:, :, a:a + sh * (oh - 1) + 1:sh, c:c + sw * (ow - 1) + 1:sw]
            Y = Y + torch.einsum("nchw,oc->nohw", patch, W[:, :, a, c])
    if b is not None:
        Y = Y + b.view(1, -1, 1, 1)
    return Y
