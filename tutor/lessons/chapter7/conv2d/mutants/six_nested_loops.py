# verdict: timeout
# Correct numbers, but six nested Python loops: the heavy check must time out, with a message
# that says the answer looks right and the code must be vectorised. (No diagnosis: a variant
# this slow must never be re-run in the grader.)
import torch


def conv2d(X, W, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    N, C, H, Wd = X.shape
    CO, _, kh, kw = W.shape
    Xp = torch.zeros(N, C, H + 2 * ph, Wd + 2 * pw, dtype=X.dtype)
    Xp[:, :, ph:ph + H, pw:pw + Wd] = X
    oh = (H + 2 * ph - kh) // sh + 1
    ow = (Wd + 2 * pw - kw) // sw + 1
    Y = torch.zeros(N, CO, oh, ow, dtype=X.dtype)
    for n in range(N):
        for o in range(CO):
            for i in range(oh):
                for j in range(ow):
                    s = b[o] if b is not None else 0.0
                    for c in range(C):
                        for a in range(kh):
                            for d in range(kw):
                                s = s + W[o, c, a, d] * Xp[n, c, i * sh + a, j * sw + d]
                    Y[n, o, i, j] = s
    return Y
