# verdict: fail
# diagnosis: softmax.mutates_input


def softmax(X):
    X -= X.amax(dim=-1, keepdim=True)
    X.exp_()
    X /= X.sum(dim=-1, keepdim=True)
    return X.clone()
