# verdict: error|forbidden
# Tries to send data to a server on this machine: the test listens on one of PORTS.
import socket

import torch

PORTS = __PORTS__


def softmax(X):
    for port in PORTS:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"leaked")
        except ConnectionRefusedError:
            continue
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
