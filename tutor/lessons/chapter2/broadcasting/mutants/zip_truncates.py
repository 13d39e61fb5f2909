# diagnosis: broadcasting.zip_truncates
def broadcast_shape(a, b):
    out = []
    for x, y in zip(reversed(a), reversed(b)):
        if x != y and 1 not in (x, y):
            raise ValueError("no")
        out.append(y if x == 1 else x)
    return tuple(reversed(out))


def pairwise_distances(X, Y):
    return ((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1).sqrt()

