# diagnosis: inplace.new_memory
def sgd_update_(params, grads, lr):
    for p, g in zip(params, grads):
        p.data = p.data - lr * g
