import torch


def patch_embedding(X, weight, bias, patch_size):
    """No convolution: cut the image into patches with reshape/permute, flatten each patch in the
    weight's (C, ph, pw) order, and apply one matrix product."""
    ph, pw = (patch_size, patch_size) if isinstance(patch_size, int) else patch_size
    B, C, H, W = X.shape
    h, w = H // ph, W // pw
    X = X[:, :, : h * ph, : w * pw]                              # drop what does not fill a patch
    patches = X.reshape(B, C, h, ph, w, pw).permute(0, 2, 4, 1, 3, 5).reshape(B, h * w, C * ph * pw)
    return patches @ weight.reshape(weight.shape[0], -1).T + bias
