# diagnosis: inplace.turned_off_grad
def sgd_update_(params, grads, lr):
    for p, g in zip(params, grads):
        p.requires_grad_(False)
        p -= lr * g
