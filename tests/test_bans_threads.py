"""Ban resolution is safe from several threads at once (validate --jobs N resolves in each)."""

import subprocess
import sys
import textwrap


def test_two_threads_resolving_bans_in_a_fresh_interpreter():
    # A fresh interpreter: torch must not be imported yet, as in `tutor instructor validate`.
    code = textwrap.dedent("""
        import threading
        from tutor.engine import bans
        errors = []
        def go(groups):
            try:
                errors.extend(bans.check_all(bans.expand(groups)))
            except BaseException as exc:
                errors.append(repr(exc))
        threads = [threading.Thread(target=go, args=(g,)) for g in (["softmax"], ["convolution", "dropout"])]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print("errors:", errors)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "errors: []"
