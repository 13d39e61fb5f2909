"""BytesIO as a context manager, read back with seek and read; eval through train(False)."""
import io

import torch


def save_state(model):
    with io.BytesIO() as f:
        torch.save(model.state_dict(), f)
        f.seek(0)
        return f.read()


def load_state(model, data):
    with io.BytesIO(data) as f:
        state = torch.load(f, map_location="cpu", weights_only=True)
    result = model.load_state_dict(state, strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    return model.train(False)
