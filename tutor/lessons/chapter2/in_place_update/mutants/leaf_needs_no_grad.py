# diagnosis: inplace.leaf_needs_no_grad
def sgd_update_(params, grads, lr):
    for p, g in zip(params, grads):
        p.sub_(lr * g)
