"""The Textual TUI (`tutor start`): a surface over tutor.engine and tutor.grader.

Nothing here is imported by the engine or the grader; the TUI talks to them only through
thread workers that report back with the dataclass messages of `tutor.tui.messages`.
"""

__all__ = ["create_app", "run_tui"]


def __getattr__(name: str):
    if name in __all__:
        from tutor.tui import app

        return getattr(app, name)
    raise AttributeError(name)
