"""Run a command as an ordinary user with this very Python, even where the Python lives in a
folder that user cannot enter (pyenv under /root, mode 700).

Run as root: `python as_user.py UID GID HOME -- COMMAND...`. In a private mount namespace
(nothing here is seen by the rest of the machine), every folder on the way to what the
command needs (the Python installation, its site-packages, the repository) that others may
not traverse is covered by a tmpfs of mode 755 holding only those paths, bound back from the
original; then the process drops to UID/GID and executes COMMAND with a clean environment.
"""

from __future__ import annotations

import os
import site
import sys
import tempfile


def needed_paths(repo: str) -> list[str]:
    from tutor.engine import sandbox

    paths = {*sandbox.python_paths(), os.path.realpath(repo), os.path.realpath(sys.executable)}
    return sorted(p for p in paths if not any(p.startswith(q.rstrip("/") + "/") for q in paths if q != p))


def blocked_ancestors(paths: list[str]) -> dict[str, list[str]]:
    """{folder others cannot traverse: [needed paths below it]}, outermost folders only."""
    out: dict[str, list[str]] = {}
    for path in paths:
        parts = path.strip("/").split("/")
        for i in range(1, len(parts)):
            folder = "/" + "/".join(parts[:i])
            if not os.stat(folder).st_mode & 0o001:
                out.setdefault(folder, []).append(path)
                break
    return out


def open_the_way(paths: list[str]) -> None:
    from tutor.engine import isolation as iso

    if not iso.unshare(iso.CLONE_NEWNS) or not iso.make_mounts_private():
        raise SystemExit(f"as_user: no private mount namespace: {iso.errno_text()}")
    for folder, below in blocked_ancestors(paths).items():
        keep = tempfile.mkdtemp(prefix="as-user-keep-")
        if not iso.mount(folder, keep, None, iso.MS_BIND | iso.MS_REC):
            raise SystemExit(f"as_user: keeping {folder}: {iso.errno_text()}")
        if not iso.mount("tmpfs", folder, "tmpfs", 0, "mode=755"):
            raise SystemExit(f"as_user: covering {folder}: {iso.errno_text()}")
        for path in below:
            source = os.path.join(keep, os.path.relpath(path, folder))
            if os.path.isdir(source):
                os.makedirs(path, exist_ok=True)
            else:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                open(path, "a").close()
            if not iso.mount(source, path, None, iso.MS_BIND | iso.MS_REC):
                raise SystemExit(f"as_user: binding {path}: {iso.errno_text()}")


def main(argv: list[str]) -> None:
    uid, gid, home = int(argv[0]), int(argv[1]), argv[2]
    command = argv[argv.index("--") + 1:]
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    open_the_way(needed_paths(repo))
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
           "TMPDIR": home}
    env.update({k: v for k, v in os.environ.items() if k.startswith("TUTOR_")})
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    os.chdir(repo)
    os.execve(command[0], command, env)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    _ = site
    main(sys.argv[1:])
