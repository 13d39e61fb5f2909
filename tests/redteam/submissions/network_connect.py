# verdict: error|forbidden
# Tries to send data to a server on this machine (the test listens on the port it writes here).
import socket
from pathlib import Path

import torch

PORT = int(Path(__file__).with_suffix(".port").read_text())


def softmax(X):
    with socket.create_connection(("127.0.0.1", PORT), timeout=1) as conn:
        conn.sendall(b"leaked")
    E = torch.exp(X - X.amax(dim=-1, keepdim=True))
    return E / E.sum(dim=-1, keepdim=True)
