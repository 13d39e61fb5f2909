"""The help screen: keys and how a learner works through an exercise."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# tutor — help

Read the lesson, write the function in your workspace file, check it, repeat until every
check is green. Your file is a plain Python file: edit it here or in your own editor.

## Home
| key | does |
|---|---|
| ↑ ↓, enter, mouse | choose an exercise, open it |
| ctrl+p | command palette: jump to any exercise |
| f1 or ? | this help |
| q | quit |

## Exercise
| key | does |
|---|---|
| ctrl+s | save your file (every save is checked) |
| ctrl+r | check now (saves first) |
| ctrl+g | reveal the next hint (hints taken are counted) |
| ctrl+o | open the file in $EDITOR; saves from any editor are picked up and checked |
| ctrl+b | after a pass: the reference solution beside yours |
| ctrl+l | show or hide the lesson (on narrow terminals: lesson or editor) |
| f2 / f3 / f4 | results / loss curve / hints |
| f8 | reset the file to its starter (asks first; your file is backed up) |
| escape | back to the exercise list |
| ctrl+q | quit |

## Results
Each check has a verdict: ✓ pass, ✗ fail (wrong answer), ! error (an exception in your
code), ○ not started (still `NotImplementedError`), ⊘ forbidden (a banned shortcut),
⏱ timeout, M memory, ☠ crash. Highlight a row to see its message, the failing input,
the largest difference from the reference and, when the grader recognises your mistake,
its diagnosis. Tracebacks show only the lines of your own file.

Exercises with a training check draw your loss curve and the reference's live, step by step.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1,question_mark", "app.pop_screen", "close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(HELP)
