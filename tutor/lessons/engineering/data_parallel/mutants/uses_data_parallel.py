# verdict: forbidden
import torch


def data_parallel_step(replicas, X, y, loss_fn, lr):
    net = torch.nn.DataParallel(replicas[0])
    net.zero_grad()
    loss = loss_fn(net(X), y)
    loss.backward()
    with torch.no_grad():
        for p in replicas[0].parameters():
            p -= lr * p.grad
        for other in replicas[1:]:
            other.load_state_dict(replicas[0].state_dict())
    return loss.item()
