"""Chapter 7 - lenet.

Write lenet(): a LeNet-style convolutional network for 8×8 grey-scale digits (scikit-learn's
digits data set). The checks build it, train it for a few seconds and test it on held-out digits.
Read the lesson with `tutor start`; `tutor hint chapter7/lenet` when stuck.
Grade it with: tutor check chapter7/lenet
"""

import torch  # noqa: F401 - torch.flatten and friends, if you write your own forward
from torch import nn


def lenet() -> nn.Module:
    """A fresh network mapping images (N, 1, 8, 8) to class scores (N, 10): raw logits, no softmax."""
    raise NotImplementedError("lenet: write me")
