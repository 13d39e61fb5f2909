"""The state gathered from named_parameters and named_buffers, and loaded back by hand: the
same names, the same tensors, copied in place under no_grad."""
import io

import torch


def _entries(model):
    entries = dict(model.named_parameters())
    entries.update((name, b) for name, b in model.named_buffers())
    return entries


def save_state(model):
    state = {name: t.detach() for name, t in _entries(model).items()}
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


def load_state(model, data):
    state = torch.load(io.BytesIO(data), weights_only=True)
    entries = _entries(model)
    if set(state) != set(entries):
        missing, unexpected = sorted(set(entries) - set(state)), sorted(set(state) - set(entries))
        raise RuntimeError(f"state does not fit the model: missing {missing}, unexpected {unexpected}")
    with torch.no_grad():
        for name, tensor in entries.items():
            tensor.copy_(state[name])
    model.eval()
    return model
