"""The custom property of chapter11/masked_softmax."""

import numpy as np


def masked_are_zero(out, inputs) -> bool:
    lens = np.asarray(inputs["valid_lens"])
    lens = lens[:, None] if lens.ndim == 1 else lens
    out = np.asarray(out)
    masked = np.arange(out.shape[-1]) >= lens[..., None]
    return bool((np.broadcast_to(masked, out.shape) <= (out == 0)).all())
