# diagnosis: dp.remainder_dropped
import torch


def data_parallel_step(replicas, X, y, loss_fn, lr):
    N, W = X.shape[0], len(replicas)
    grads, losses, sizes = [], [], []
    for model, X_k, y_k in zip(replicas, X.split(max(N // W, 1))[:W], y.split(max(N // W, 1))[:W]):
        if len(X_k) == 0:
            continue
        model.zero_grad()
        loss = loss_fn(model(X_k), y_k)
        loss.backward()
        grads.append([p.grad.clone() for p in model.parameters()])
        losses.append(loss.item())
        sizes.append(len(X_k))
    total = [sum(n / N * g[j] for n, g in zip(sizes, grads)) for j in range(len(grads[0]))]
    with torch.no_grad():
        for model in replicas:
            for p, g in zip(model.parameters(), total):
                p -= lr * g
    return sum(n / N * l for n, l in zip(sizes, losses))
