# mistake: hard-codes dim=1 as in a 2-D (batch, classes) example, which is the wrong axis for 3-D inputs
import torch


def softmax(X: torch.Tensor) -> torch.Tensor:
    if X.dim() == 1:
        X = X.unsqueeze(0)
        squeeze = True
    else:
        squeeze = False
    Z = X - X.max(dim=1, keepdim=True).values
    E = torch.exp(Z)
    out = E / E.sum(dim=1, keepdim=True)
    return out.squeeze(0) if squeeze else out
