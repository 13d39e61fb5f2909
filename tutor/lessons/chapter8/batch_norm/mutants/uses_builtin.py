# verdict: forbidden
import torch.nn.functional as F


def batch_norm(X, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    new_mean, new_var = running_mean.clone(), running_var.clone()
    Y = F.batch_norm(X, new_mean, new_var, gamma, beta, training=training, momentum=momentum, eps=eps)
    return Y, new_mean, new_var
