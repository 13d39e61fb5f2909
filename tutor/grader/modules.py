"""Finding the layers of a learner's network by what they do, not by what they are called.

A scenario that checks an nn.Module built by the learner must give it the same weights as the
oracle's module, built in another process, whose attribute names and registration order may
differ. The order in which one forward pass first calls each layer does not depend on those
choices, so a scenario reads each layer's role from that order (and from its shape), then
draws the weights role by role from one seeded generator on both sides.
"""

from __future__ import annotations

from typing import Any


def layers_in_call_order(net, *inputs, kinds: Any = None) -> list:
    """The submodules of `net` that are instances of `kinds` (a class or a tuple of classes;
    default: every module without children), in the order one forward pass `net(*inputs)` first
    calls them, each listed once. Layers that are registered but never called are left out.

    The pass runs in eval mode without gradients, so batch-norm running statistics and dropout
    are untouched, and lazy layers get their shapes; every module's train/eval flag is restored
    afterwards. An exception from the forward pass propagates (the learner's error)."""
    import torch

    def wanted(m) -> bool:
        return isinstance(m, kinds) if kinds is not None else next(iter(m.children()), None) is None

    order: list = []
    seen: set[int] = set()

    def record(module, args, output):
        if id(module) not in seen:
            seen.add(id(module))
            order.append(module)

    modes = [(m, m.training) for m in net.modules()]
    handles = [m.register_forward_hook(record) for m in net.modules() if wanted(m)]
    try:
        net.eval()
        with torch.no_grad():
            net(*inputs)
    finally:
        for handle in handles:
            handle.remove()
        for m, mode in modes:
            m.training = mode
    # A lazy layer turns into its eager class on the first call: test the kinds again.
    return [m for m in order if wanted(m)]


def fill_layer(layer, generator, *, bias: float = 0.0) -> None:
    """Seeded weights for one layer, drawn from `generator` in a fixed order, so two networks built
    differently get the same numbers layer for layer:

    - a convolution or linear layer: weight ~ N(0, 2 / fan_in) (He), bias (when it has one) = `bias`;
      so a layer built with bias=False gives the same results as one with a bias;
    - a batch-norm layer: γ ~ 1 + N(0, 0.25²), β ~ N(0, 0.25²), running statistics reset (0 and 1).
    """
    import torch

    with torch.no_grad():
        if isinstance(layer, torch.nn.modules.batchnorm._NormBase):
            if layer.weight is not None:
                layer.weight.copy_(1 + 0.25 * torch.randn(layer.weight.shape, generator=generator,
                                                          dtype=torch.float64))
                layer.bias.copy_(0.25 * torch.randn(layer.bias.shape, generator=generator, dtype=torch.float64))
            if layer.track_running_stats:
                layer.reset_running_stats()
            return
        weight = getattr(layer, "weight", None)
        if not isinstance(weight, torch.Tensor):
            raise TypeError(f"fill_layer: {type(layer).__name__} has no weight to fill")
        fan_in = weight[0].numel() if weight.dim() > 1 else 1
        weight.copy_(torch.randn(weight.shape, generator=generator, dtype=torch.float64) * (2.0 / fan_in) ** 0.5)
        if getattr(layer, "bias", None) is not None:
            layer.bias.fill_(bias)
