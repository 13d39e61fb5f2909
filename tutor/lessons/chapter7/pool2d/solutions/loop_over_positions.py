import torch


def pool2d(X, pool_size, stride=None, padding=0, mode="max"):
    """A loop over output positions; each step reduces one window of every image and channel."""
    p_h, p_w = pool_size if isinstance(pool_size, tuple) else (pool_size, pool_size)
    s_h, s_w = (p_h, p_w) if stride is None else (stride if isinstance(stride, tuple) else (stride, stride))
    pad_h, pad_w = padding if isinstance(padding, tuple) else (padding, padding)
    N, C, H, W = X.shape
    out_h = (H + 2 * pad_h - p_h) // s_h + 1
    out_w = (W + 2 * pad_w - p_w) // s_w + 1
    Y = torch.zeros(N, C, out_h, out_w, dtype=X.dtype)
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * s_h - pad_h, j * s_w - pad_w
            r0, r1 = max(top, 0), min(top + p_h, H)
            c0, c1 = max(left, 0), min(left + p_w, W)
            window = X[:, :, r0:r1, c0:c1]
            if mode == "max":
                Y[:, :, i, j] = window.amax(dim=(2, 3))  # positions outside X simply do not take part
            else:
                Y[:, :, i, j] = window.sum(dim=(2, 3)) / (p_h * p_w)  # padding zeros add nothing but count
    return Y
