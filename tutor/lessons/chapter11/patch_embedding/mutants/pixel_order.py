# diagnosis: vit.pixel_order
def patch_embedding(X, weight, bias, patch_size):
    ph, pw = (patch_size, patch_size) if isinstance(patch_size, int) else patch_size
    B, C, H, W = X.shape
    h, w = H // ph, W // pw
    X = X[:, :, : h * ph, : w * pw]
    # each patch flattened as (ph, pw, C), but the weight is laid out (C, ph, pw)
    patches = X.reshape(B, C, h, ph, w, pw).permute(0, 2, 4, 3, 5, 1).reshape(B, h * w, C * ph * pw)
    return patches @ weight.reshape(weight.shape[0], -1).T + bias
