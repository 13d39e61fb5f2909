"""In-child enforcement: banned APIs, tutor's own modules and the grader's files.

Installed in the grading child before the learner's module is imported. A call of a banned
API counts as the learner's when the nearest code on the stack that is not library code is
the learner's file (or code it built with exec), or a harness helper that is calling into the
learner's code; and always in a thread the learner started. A harness callback (a language
model handed to beam search, say) calling the same API is not the learner's.

Three layers catch a banned API however it is reached:
1. Python names (functions, classes, Tensor methods, whole modules) are replaced by wrappers
   that raise `ForbiddenAPIError` and record the violation (catching the exception does not
   help: the check is still `forbidden`);
2. `aten:` operators are caught at torch's dispatcher by a TorchDispatchMode, pushed in the
   grading thread and in every thread started after it, whatever Python name led there;
3. the learner's module is scanned once it is imported: a banned function, class, subclass
   or partial exposed under the name the grader calls is refused even though the call then
   comes from harness code.
"""

from __future__ import annotations

import builtins
import functools
import importlib
import io
import os
import sys
import threading
import types
from contextlib import ExitStack, nullcontext
from pathlib import Path

from tutor.engine import bans as ban_groups

_GUARD_FILE = __file__
_TUTOR_ROOT = str(Path(__file__).resolve().parent.parent) + os.sep
# Ways to switch the dispatcher guard off; refused to learner code whenever operators are banned.
_DISPATCH_ESCAPES = ("torch._C._DisableTorchDispatch", "torch.utils._python_dispatch._disable_current_modes",
                     "torch._C._pop_torch_dispatch_stack", "torch._C._set_dispatch_mode",
                     "torch._C._unset_dispatch_mode")


class ForbiddenAPIError(Exception):
    """Raised inside the learner's call when it reaches a banned API."""


class Guard:
    def __init__(self, learner_files: list[str], protected_roots: list[str], harness_files: list[str] = ()):
        self.learner_files = {str(Path(f).resolve()) for f in learner_files} | set(learner_files)
        self.protected_roots = [str(Path(r).resolve()) for r in protected_roots]
        self.harness_files = {str(Path(f).resolve()) for f in harness_files} | set(harness_files)
        self.violation: str | None = None
        self._call_sites: set[types.CodeType] = set()
        self._learner_threads: set[int] = set()
        self._aten: frozenset[str] = frozenset()
        self._banned_objects: dict[int, str] = {}  # id(original) -> name
        self._banned_classes: dict[type, str] = {}
        self._mode_class = None
        self._threads_patched = False

    # -- whose call is it? ------------------------------------------------------------------
    def calls_learner(self, fn):
        """Mark a harness function as a place that calls the learner's code: a banned API reached
        from it (an alias the learner exported, a partial, a builtin) counts as the learner's."""
        self._call_sites.add(fn.__code__)
        return fn

    def in_learner_context(self) -> bool:
        if threading.get_ident() in self._learner_threads:
            return True
        frame = sys._getframe(1)
        while frame is not None:
            code = frame.f_code
            filename = code.co_filename
            if filename == _GUARD_FILE:
                pass
            elif self._is_learner_code(filename) or code in self._call_sites:
                return True
            elif self._is_harness(filename):
                return False
            frame = frame.f_back
        return False

    # Kept under its old name: other modules ask "is the learner calling?"
    learner_on_stack = in_learner_context

    def _is_learner_code(self, filename: str) -> bool:
        # Code compiled from a string (exec, compile) counts as the learner's: otherwise a
        # function built by exec under a made-up name would call banned APIs unseen.
        return filename in self.learner_files or (filename.startswith("<") and not filename.startswith("<frozen"))

    def _is_harness(self, filename: str) -> bool:
        return filename in self.harness_files or filename.startswith(_TUTOR_ROOT)

    def forbid(self, what: str) -> None:
        if self.violation is None:
            self.violation = what
        raise ForbiddenAPIError(f"{what} is not allowed in this exercise")

    # -- banned callables -------------------------------------------------------------------
    def ban_all(self, groups: list[str], extra: list[str]) -> list[str]:
        """Install every ban of these groups and names; returns notes on names that could not be installed."""
        notes = []
        aten = []
        for ban in ban_groups.expand(groups, extra):
            if ban.is_aten:
                aten.append(ban.aten_op)
                continue
            try:
                self.ban(ban.name)
            except ban_groups.BanError as exc:
                if not ban.optional:  # an optional name exists in some versions only
                    notes.append(str(exc))
        if aten:
            self._aten = frozenset(aten)
            for name in _DISPATCH_ESCAPES:
                try:
                    self.ban(name)
                except ban_groups.BanError:
                    pass
        return notes

    def ban(self, dotted: str) -> None:
        """Wrap `dotted` (a function, method, class, or every function of a module with `.*`)."""
        if dotted.endswith(".*") or _is_module(dotted):
            name = dotted.removesuffix(".*")
            if not ban_groups.installed(name.split(".")[0]):
                return
            module = importlib.import_module(name)
            self._ban_module(module, name)
            return
        owner, attr = _resolve_owner(dotted)
        if owner is None:
            if ban_groups.installed(dotted.split(".")[0]):
                raise ban_groups.BanError(f"{dotted}: not found, so it cannot be banned")
            return
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
            self._banned_classes[original] = name

            @functools.wraps(init)
            def banned_init(*args, **kwargs):
                if guard.in_learner_context():
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
            if guard.in_learner_context():
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
            return
        self._banned_objects[id(target)] = name
        self._banned_objects[id(banned)] = name

    # -- the dispatcher layer ---------------------------------------------------------------
    def operator_guard(self):
        """A context manager that catches banned operators at torch's dispatcher (none when no
        operator is banned, so unrelated exercises pay nothing)."""
        if not self._aten:
            return nullcontext()
        if self._mode_class is None:
            from torch.utils._python_dispatch import TorchDispatchMode

            guard = self

            class OperatorGuard(TorchDispatchMode):
                @classmethod
                def _should_skip_dynamo(cls) -> bool:
                    # Otherwise the first use imports torch._dynamo: two seconds of a learner's check.
                    return False

                def __torch_dispatch__(self, func, types, args=(), kwargs=None):
                    name = func.overloadpacket.__name__
                    if name in guard._aten and func.namespace == "aten" and guard.in_learner_context():
                        guard.forbid(f"torch.ops.aten.{name} (the operator behind the banned shortcut)")
                    return func(*args, **(kwargs or {}))

            self._mode_class = OperatorGuard
        return self._mode_class()

    def learner_scope(self):
        """What every stretch of learner code runs under: the operator guard, in this thread."""
        stack = ExitStack()
        stack.enter_context(self.operator_guard())
        return stack

    def watch_threads(self) -> None:
        """Threads started from the learner's code are the learner's, and carry the operator guard."""
        if self._threads_patched:
            return
        self._threads_patched = True
        import _thread

        guard = self
        real_start = _thread.start_new_thread

        def start_new_thread(function, args, kwargs=None, *rest):
            learner = guard.in_learner_context()

            def run(*a, **k):
                if learner:
                    guard._learner_threads.add(threading.get_ident())
                with guard.learner_scope():
                    return function(*a, **k)

            return real_start(run, args, kwargs or {}, *rest)

        _thread.start_new_thread = start_new_thread
        threading._start_new_thread = start_new_thread
        real_joinable = getattr(_thread, "start_joinable_thread", None)
        if real_joinable is not None:  # Python 3.13+: threading starts its threads through this one
            def start_joinable_thread(function, *args, **kwargs):
                learner = guard.in_learner_context()

                def run():
                    if learner:
                        guard._learner_threads.add(threading.get_ident())
                    with guard.learner_scope():
                        return function()

                return real_joinable(run, *args, **kwargs)

            _thread.start_joinable_thread = start_joinable_thread
            threading._start_joinable_thread = start_joinable_thread

    # -- the learner's module ---------------------------------------------------------------
    def scan_module(self, module: types.ModuleType) -> None:
        """Refuse a module that exposes a banned API under its own names (`softmax = F.softmax`,
        `class Adam(torch.optim.Adam)`, a partial of one): the grader would call it directly."""
        for attr, value in list(vars(module).items()):
            found = self._banned_in(value)
            if found is None and isinstance(value, type) and value.__module__ == module.__name__:
                for member in list(vars(value).values()):
                    found = self._banned_in(member)
                    if found:
                        break
            if found:
                if self.violation is None:
                    self.violation = f"{found} (exposed as `{attr}`)"
                return

    def _banned_in(self, value) -> str | None:
        for candidate in (value, getattr(value, "func", None), getattr(value, "__func__", None)):
            if candidate is not None and id(candidate) in self._banned_objects:
                return self._banned_objects[id(candidate)]
        if isinstance(value, type):
            for cls, name in self._banned_classes.items():
                try:
                    if issubclass(value, cls):
                        return name
                except TypeError:
                    continue
        return None

    # -- tutor's own modules and the grader's files -----------------------------------------
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
            if direct or (name not in sys.modules and guard.in_learner_context()):
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
                if (resolved == root or resolved.startswith(root + os.sep)) and guard.in_learner_context():
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
    if not ban_groups.installed(dotted.split(".")[0]):
        return False
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
