"""kit.layers_in_call_order and kit.fill_layer: two networks built differently get the same
weights role by role, whatever their attribute names and registration order."""

import pytest
import torch
from torch import nn

from tutor.grader import kit

CONV_BN = (nn.Conv2d, nn.modules.batchnorm._BatchNorm)


class Backwards(nn.Module):
    """Registers its layers in the opposite order of use, and one it never calls."""

    def __init__(self):
        super().__init__()
        self.unused = nn.Conv2d(3, 3, 1)
        self.bn = nn.BatchNorm2d(4)
        self.second = nn.Conv2d(4, 4, 3, padding=1)
        self.first = nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        return self.bn(self.second(torch.relu(self.first(x))))


def test_layers_come_in_call_order_and_unused_ones_are_left_out():
    net = Backwards()
    layers = kit.layers_in_call_order(net, torch.randn(2, 3, 5, 5), kinds=CONV_BN)
    assert layers == [net.first, net.second, net.bn]
    everything = kit.layers_in_call_order(nn.Sequential(nn.Conv2d(3, 4, 1), nn.ReLU()), torch.randn(1, 3, 2, 2))
    assert [type(m) for m in everything] == [nn.Conv2d, nn.ReLU]


def test_the_probe_leaves_modes_and_running_statistics_alone():
    net = Backwards()
    net.train()
    net.first.eval()
    kit.layers_in_call_order(net, torch.randn(2, 3, 5, 5) + 3, kinds=CONV_BN)
    assert net.training and net.bn.training and not net.first.training
    assert torch.equal(net.bn.running_mean, torch.zeros(4)) and int(net.bn.num_batches_tracked) == 0


def test_lazy_layers_get_their_shapes_and_are_found():
    net = nn.Sequential(nn.LazyConv2d(4, 3), nn.LazyBatchNorm2d(), nn.ReLU())
    layers = kit.layers_in_call_order(net, torch.randn(2, 3, 6, 6), kinds=CONV_BN)
    assert [type(m) for m in layers] == [nn.Conv2d, nn.BatchNorm2d]
    assert layers[0].weight.shape == (4, 3, 3, 3)


def test_a_forward_error_propagates_and_hooks_are_removed():
    net = nn.Sequential(nn.Conv2d(3, 4, 1), nn.Conv2d(5, 2, 1))
    with pytest.raises(RuntimeError):
        kit.layers_in_call_order(net, torch.randn(1, 3, 2, 2), kinds=nn.Conv2d)
    assert all(not m._forward_hooks for m in net.modules())
    assert net.training


def test_fill_layer_gives_two_differently_built_networks_the_same_function():
    def d2l_style():
        return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Conv2d(4, 2, 1))

    class ClassStyle(nn.Module):
        def __init__(self):
            super().__init__()
            self.tail = nn.Conv2d(4, 2, 1, bias=False)  # no bias: filled with bias 0 it is the same layer
            self.norm = nn.BatchNorm2d(4)
            self.head = nn.Conv2d(3, 4, 3, padding=1, bias=False)

        def forward(self, x):
            return self.tail(torch.relu(self.norm(self.head(x))))

    x = torch.randn(2, 3, 5, 5)
    outs = []
    for net in (d2l_style(), ClassStyle()):
        g = torch.Generator().manual_seed(7)
        for layer in kit.layers_in_call_order(net, x, kinds=CONV_BN):
            kit.fill_layer(layer, g)
        outs.append(net(x))
    torch.testing.assert_close(outs[0], outs[1])
    bn = d2l_style()[1]
    kit.fill_layer(bn, torch.Generator().manual_seed(0))
    assert not torch.equal(bn.weight, torch.ones(4)) and bn.weight.dtype == torch.float32


def test_fill_layer_refuses_a_layer_without_weights():
    with pytest.raises(TypeError, match="no weight"):
        kit.fill_layer(nn.ReLU(), torch.Generator())
