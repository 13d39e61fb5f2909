import torch
import torch.nn.functional as F


def patch_embedding(X: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor,
                    patch_size: int | tuple[int, int]) -> torch.Tensor:
    # A convolution whose stride equals its kernel size sees every patch exactly once.
    Y = F.conv2d(X, weight, bias, stride=patch_size)    # (B, hidden, H/ph, W/pw)
    return Y.flatten(2).transpose(1, 2)                   # (B, patches, hidden), patches row by row
