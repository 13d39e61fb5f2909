"""Flatten each worker's gradient into one vector (as a bucket of DDP would), reduce, unflatten."""
import torch
from torch.nn.utils import parameters_to_vector, vector_to_parameters


def data_parallel_step(replicas, X, y, loss_fn, lr):
    W = len(replicas)
    xs, ys = torch.tensor_split(X, W), torch.tensor_split(y, W)
    flat_grads, counts, losses = [], [], []
    for model, xb, yb in zip(replicas, xs, ys):
        model.zero_grad()
        if xb.shape[0] == 0:
            continue
        loss = loss_fn(model(xb), yb)
        grads = torch.autograd.grad(loss, list(model.parameters()))
        flat_grads.append(torch.cat([g.reshape(-1) for g in grads]))
        counts.append(xb.shape[0])
        losses.append(loss.item())
    weights = torch.tensor(counts, dtype=flat_grads[0].dtype) / sum(counts)
    grad = (torch.stack(flat_grads) * weights[:, None]).sum(0)
    for model in replicas:
        with torch.no_grad():
            theta = parameters_to_vector(model.parameters()) - lr * grad
            vector_to_parameters(theta, model.parameters())
    return sum(w * l for w, l in zip(weights.tolist(), losses))
