"""OS-level isolation that can be applied inside an already started child."""

from __future__ import annotations

import ctypes
import ctypes.util

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def drop_network() -> str | None:
    """Move this process into an empty network namespace. Returns a note when impossible."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return "network isolation unavailable (no libc)"
    if libc.unshare(CLONE_NEWNET) == 0:
        return None
    # Unprivileged: a user namespace may grant the right to make a network namespace.
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        return None
    return "network isolation unavailable on this system (unshare refused)"
