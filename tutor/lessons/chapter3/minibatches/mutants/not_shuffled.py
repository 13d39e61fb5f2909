# diagnosis: minibatch.not_shuffled
def data_iter(X, y, batch_size, generator):
    for start in range(0, X.shape[0], batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]
