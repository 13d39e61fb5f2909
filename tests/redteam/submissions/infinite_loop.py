# verdict: timeout
def softmax(X):
    while True:
        pass
