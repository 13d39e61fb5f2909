# diagnosis: dp.local_update
import torch


def data_parallel_step(replicas, X, y, loss_fn, lr):
    N, W = X.shape[0], len(replicas)
    batch_loss = 0.0
    for model, X_k, y_k in zip(replicas, torch.tensor_split(X, W), torch.tensor_split(y, W)):
        if len(X_k) == 0:
            continue
        model.zero_grad()
        loss = loss_fn(model(X_k), y_k)
        loss.backward()
        batch_loss += len(X_k) / N * loss.item()
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad  # each replica follows its own shard: nothing is shared
    return batch_loss
