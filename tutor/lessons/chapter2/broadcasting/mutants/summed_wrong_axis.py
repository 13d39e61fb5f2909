# diagnosis: broadcasting.summed_wrong_axis
def broadcast_shape(a, b):
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            raise ValueError("no")
        out.append(y if x == 1 else x)
    return tuple(out)


def pairwise_distances(X, Y):
    return ((X[:, None, :] - Y[None, :, :]) ** 2).sum(1).sqrt()
