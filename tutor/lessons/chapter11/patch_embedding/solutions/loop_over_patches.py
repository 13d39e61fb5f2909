import torch


def patch_embedding(X, weight, bias, patch_size):
    """One patch at a time, in reading order; each patch is a dot product with every filter."""
    ph, pw = (patch_size, patch_size) if isinstance(patch_size, int) else tuple(patch_size)
    B, C, H, W = X.shape
    tokens = []
    for top in range(0, H - ph + 1, ph):
        for left in range(0, W - pw + 1, pw):
            patch = X[:, :, top:top + ph, left:left + pw]             # (B, C, ph, pw)
            tokens.append(torch.einsum("bchw,ochw->bo", patch, weight) + bias)
    return torch.stack(tokens, dim=1)
