import torch


def conv2d(X, W, b=None, stride=1, padding=0):
    if isinstance(stride, int):
        stride = (stride, stride)
    if isinstance(padding, int):
        padding = (padding, padding)
    N, C, H, Wid = X.shape
    CO, _, kh, kw = W.shape
    Xp = torch.zeros(N, C, H + 2 * padding[0], Wid + 2 * padding[1], dtype=X.dtype)
    Xp[:, :, padding[0]:padding[0] + H, padding[1]:padding[1] + Wid] = X
    oh = (Xp.shape[2] - kh) // stride[0] + 1
    ow = (Xp.shape[3] - kw) // stride[1] + 1
    # im2col by hand: one column per output position, C*kh*kw rows
    cols = []
    for i in range(kh):
        for j in range(kw):
            cols.append(Xp[:, :, i:i + stride[0] * oh:stride[0], j:j + stride[1] * ow:stride[1]])
    cols = torch.stack(cols, dim=2)                    # (N, C, kh*kw, oh, ow)
    cols = cols.reshape(N, C * kh * kw, oh * ow)
    out = W.reshape(CO, C * kh * kw) @ cols            # (N, C_out, oh*ow)
    out = out.reshape(N, CO, oh, ow)
    return out if b is None else out + b.reshape(1, CO, 1, 1)
