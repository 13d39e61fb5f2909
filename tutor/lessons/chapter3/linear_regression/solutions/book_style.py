"""Correct: the book's pieces (data_iter, linreg, squared_loss, sgd) with the loss averaged per batch
and the gradients zeroed in place after each step."""

import torch


def data_iter(X, y, batch_size, generator):
    order = torch.randperm(len(X), generator=generator)
    for i in range(0, len(X), batch_size):
        idx = order[i:i + batch_size]
        yield X[idx], y[idx]


def linreg(X, w, b):
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad
            param.grad.zero_()


def train_linear_regression(X, y, lr, batch_size, epochs, generator, on_loss=None):
    w = torch.zeros(X.shape[1], dtype=X.dtype, requires_grad=True)
    b = torch.zeros(1, dtype=X.dtype, requires_grad=True)
    for epoch in range(epochs):
        for Xb, yb in data_iter(X, y, batch_size, generator):
            loss = squared_loss(linreg(Xb, w, b), yb).mean()
            if on_loss is not None:
                on_loss(loss.item())
            loss.backward()
            sgd([w, b], lr)
    return w.detach(), b.detach()
