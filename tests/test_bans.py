"""Ban groups: every name resolves in the installed torch; unknown groups and typos are errors."""

import pytest

from tutor.engine import bans


def test_every_group_resolves_in_the_installed_packages():
    assert bans.check_all(bans.expand(list(bans.GROUPS))) == []


def test_groups_reach_the_dispatcher_too():
    names = {b.name for b in bans.expand(["softmax", "convolution", "pooling"])}
    assert {"torch.softmax", "torch.Tensor.softmax", "aten:_softmax", "aten:convolution", "aten:im2col",
            "aten:max_pool2d_with_indices"} <= names


def test_a_typo_is_reported_not_skipped():
    problems = bans.check_all(bans.expand([], ["torch.softmaxx", "torch.Tensor.sofmax", "aten:_softmaxx"]))
    assert len(problems) == 3 and all("no such" in p for p in problems)


def test_optional_names_and_uninstalled_packages_are_fine():
    assert bans.check_all(bans.expand([], ["torch.does_not_exist_yet?", "nosuchpackage.anything"])) == []


def test_unknown_group_is_an_error():
    with pytest.raises(bans.BanError, match="unknown ban group 'sofmax'"):
        bans.expand(["sofmax"])
