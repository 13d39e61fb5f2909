"""In-child enforcement: banned APIs, tutor's own modules and reference files.

Installed in the grading child before the learner's module is imported. A banned callable is
replaced by a wrapper that raises (and records the violation, so catching the exception does
not help) whenever the learner's file is on the call stack, however the callable was reached:
directly, through getattr, importlib, an alias or a Tensor method. Harness code in the same
child calls the originals freely.
"""

from __future__ import annotations

import builtins
import functools
import importlib
import io
import os
import sys
import types
from pathlib import Path


class ForbiddenAPIError(Exception):
    """Raised inside the learner's call when it reaches a banned API."""


class Guard:
    def __init__(self, learner_files: list[str], protected_roots: list[str]):
        self.learner_files = {str(Path(f).resolve()) for f in learner_files} | set(learner_files)
        self.protected_roots = [str(Path(r).resolve()) for r in protected_roots]
        self.violation: str | None = None

    # -- stack inspection -------------------------------------------------------------------
    def learner_on_stack(self) -> bool:
        frame = sys._getframe(2)
        while frame is not None:
            if self._is_learner_code(frame.f_code.co_filename):
                return True
            frame = frame.f_back
        return False

    def _is_learner_code(self, filename: str) -> bool:
        # Code compiled from a string (exec, compile) counts as the learner's: otherwise a
        # function built by exec under a made-up name would call banned APIs unseen.
        return filename in self.learner_files or (filename.startswith("<") and not filename.startswith("<frozen"))

    def forbid(self, what: str) -> None:
        if self.violation is None:
            self.violation = what
        raise ForbiddenAPIError(f"{what} is not allowed in this exercise")

    # -- banned callables -------------------------------------------------------------------
    def ban(self, dotted: str) -> None:
        """Wrap `dotted` (a function, method, class, or every function of a module with `.*`)."""
        if dotted.endswith(".*") or _is_module(dotted):
            module = importlib.import_module(dotted.removesuffix(".*"))
            self._ban_module(module, dotted.removesuffix(".*"))
            return
        owner, attr = _resolve_owner(dotted)
        if owner is None:
            return  # not present in this torch version: nothing to reach
        self._wrap_attr(owner, attr, dotted)

    def _ban_module(self, module: types.ModuleType, prefix: str) -> None:
        for attr, value in list(vars(module).items()):
            if attr.startswith("__"):
                continue
            if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)) or (
                isinstance(value, type) and getattr(value, "__module__", "").startswith(prefix)
            ):
                self._wrap_attr(module, attr, f"{prefix}.{attr}")

    def _wrap_attr(self, owner, attr: str, name: str) -> None:
        original = owner.__dict__.get(attr, getattr(owner, attr, None)) if isinstance(owner, type) else getattr(owner, attr, None)
        if original is None or getattr(original, "__tutor_banned__", False):
            return
        guard = self
        if isinstance(original, type):
            init = original.__init__

            @functools.wraps(init)
            def banned_init(*args, **kwargs):
                if guard.learner_on_stack():
                    guard.forbid(name)
                return init(*args, **kwargs)

            banned_init.__dict__.pop("__wrapped__", None)
            banned_init.__tutor_banned__ = True
            try:
                original.__init__ = banned_init
            except TypeError:
                pass
            return
        # A static or class method is banned through its function, then wrapped back the same way.
        rewrap = type(original) if isinstance(original, (staticmethod, classmethod)) else None
        target = original.__func__ if rewrap else original

        def banned(*args, **kwargs):
            if guard.learner_on_stack():
                guard.forbid(name)
            return target(*args, **kwargs)

        try:
            functools.update_wrapper(banned, target)
        except (AttributeError, TypeError):
            pass
        # update_wrapper hands out the original as __wrapped__: a one-word way around the ban.
        banned.__dict__.pop("__wrapped__", None)
        banned.__tutor_banned__ = True
        try:
            setattr(owner, attr, rewrap(banned) if rewrap else banned)
        except (AttributeError, TypeError):
            pass

    # -- tutor's own modules and reference files ---------------------------------------------
    def protect_imports(self) -> None:
        guard = self
        real_import = builtins.__import__
        real_import_module = importlib.import_module

        def checked(name: str, caller) -> None:
            if not (name == "tutor" or name.startswith("tutor.")):
                return
            # The learner's own import statement is always refused. Deeper down (a harness
            # callback the learner calls), only a module not loaded yet is refused: harness
            # code may re-import what it already uses, but nothing new (a reference) gets in.
            direct = caller is not None and guard._is_learner_code(caller.f_code.co_filename)
            if direct or (name not in sys.modules and guard.learner_on_stack()):
                guard.forbid(f"importing {name}")

        def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
            if level == 0:
                checked(name, sys._getframe(1))
            return real_import(name, globals, locals, fromlist, level)

        def guarded_import_module(name, package=None):
            checked(name if not name.startswith(".") else f"{package}{name}", sys._getframe(1))
            return real_import_module(name, package)

        builtins.__import__ = guarded_import
        importlib.import_module = guarded_import_module

    def protect_files(self) -> None:
        guard = self

        def check_path(path) -> None:
            try:
                text = os.fsdecode(path) if not isinstance(path, int) else None
            except TypeError:
                return
            if text is None:
                return
            resolved = os.path.realpath(text)
            for root in guard.protected_roots:
                if (resolved == root or resolved.startswith(root + os.sep)) and guard.learner_on_stack():
                    guard.forbid(f"opening {text} (the grader's files are off limits)")

        import _io
        import posix

        real_open, real_os_open, real_open_code = builtins.open, os.open, _io.open_code

        def guarded_open(file, *args, **kwargs):
            check_path(file)
            return real_open(file, *args, **kwargs)

        def guarded_os_open(path, *args, **kwargs):
            check_path(path)
            return real_os_open(path, *args, **kwargs)

        def guarded_open_code(path):
            # What importlib reads source through: spec_from_file_location(reference) lands here.
            check_path(path)
            return real_open_code(path)

        builtins.open = io.open = _io.open = guarded_open
        os.open = posix.open = guarded_os_open
        io.open_code = _io.open_code = guarded_open_code

    def block_network(self) -> None:
        """Refuse outgoing connections from learner code (used when no network namespace)."""
        import socket

        for attr in ("connect", "connect_ex", "sendto", "sendmsg"):
            self._wrap_attr(socket.socket, attr, "network access")
        self._wrap_attr(socket, "create_connection", "network access")
        self._wrap_attr(socket, "getaddrinfo", "network access")


def _is_module(dotted: str) -> bool:
    try:
        return isinstance(importlib.import_module(dotted), types.ModuleType)
    except ImportError:
        return False


def _resolve_owner(dotted: str):
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:-1]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None, None
        if not hasattr(obj, parts[-1]):
            return None, None
        return obj, parts[-1]
    return None, None
