# diagnosis: broadcasting.incompatible_accepted
def broadcast_shape(a, b):
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    return tuple(x if y == 1 else y for x, y in zip(a, b))


def pairwise_distances(X, Y):
    return ((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1).sqrt()

