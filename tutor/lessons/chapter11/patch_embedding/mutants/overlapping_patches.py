# diagnosis: vit.overlapping_patches
import torch.nn.functional as F


def patch_embedding(X, weight, bias, patch_size):
    return F.conv2d(X, weight, bias, stride=1).flatten(2).transpose(1, 2)   # windows slide by one pixel
