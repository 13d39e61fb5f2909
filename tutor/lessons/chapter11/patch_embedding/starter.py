"""Chapter 11 - ViT patch embedding.

Write patch_embedding: cut images into non-overlapping patches and map each patch linearly to a
hidden vector, giving a sequence (batch, patches, hidden). Read the lesson with `tutor start`;
`tutor hint chapter11/patch_embedding` when stuck. Grade it with: tutor check chapter11/patch_embedding
"""

import torch


def patch_embedding(X: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor,
                    patch_size: int | tuple[int, int]) -> torch.Tensor:
    """X (B, C, H, W), weight (hidden, C, ph, pw), bias (hidden,), patch_size p or (ph, pw)
    -> (B, (H // ph)·(W // pw), hidden): patch (r, c) is sequence position r·(W // pw) + c and its
    vector is Σ weight[o] ⊙ patch + bias[o] for every hidden unit o. Pixels that do not fill a
    whole patch (at the bottom and right edges) are dropped."""
    raise NotImplementedError("patch_embedding: write me")
