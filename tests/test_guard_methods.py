"""Banning static and class methods (e.g. sacrebleu's BLEU.compute_bleu) works like functions."""

import subprocess
import sys
import textwrap


def test_static_and_class_methods_can_be_banned(tmp_path):
    (tmp_path / "somelib.py").write_text(textwrap.dedent("""
        class Scorer:
            @staticmethod
            def score(x):
                return x + 1

            @classmethod
            def make(cls):
                return cls()
    """))
    (tmp_path / "learner.py").write_text(textwrap.dedent("""
        import somelib

        def use_static():
            return somelib.Scorer.score(1)

        def use_class():
            return somelib.Scorer.make()
    """))
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        import somelib, learner
        from tutor.engine.guard import ForbiddenAPIError, Guard

        guard = Guard([{str(tmp_path / "learner.py")!r}], [])
        guard.ban("somelib.Scorer.score")
        guard.ban("somelib.Scorer.make")
        out = {{"harness": (somelib.Scorer.score(1), type(somelib.Scorer.make()).__name__)}}
        for name in ("use_static", "use_class"):
            try:
                getattr(learner, name)()
                out[name] = "allowed"
            except ForbiddenAPIError:
                out[name] = "forbidden"
        out["violation"] = guard.violation
        print(out)
    """))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert eval(proc.stdout.strip().splitlines()[-1]) == {  # noqa: S307 - our own script's dict
        "harness": (2, "Scorer"), "use_static": "forbidden", "use_class": "forbidden",
        "violation": "somelib.Scorer.score"}
