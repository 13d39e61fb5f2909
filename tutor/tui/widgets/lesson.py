"""The lesson: its markdown rendered, math made readable, the exercise's signature and task."""

from __future__ import annotations

import ast
import re
import textwrap

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

_SYMBOLS = {
    "sum": "Σ", "prod": "∏", "sqrt": "√", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ",
    "epsilon": "ε", "varepsilon": "ε", "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "sigma": "σ",
    "tau": "τ", "phi": "φ", "omega": "ω", "pi": "π", "rho": "ρ", "Delta": "Δ", "Sigma": "Σ", "nabla": "∇",
    "partial": "∂", "cdot": "·", "times": "×", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠",
    "approx": "≈", "infty": "∞", "in": "∈", "to": "→", "rightarrow": "→", "leftarrow": "←", "odot": "⊙",
    "otimes": "⊗", "top": "⊤", "ldots": "…", "cdots": "⋯", "log": "log", "exp": "exp", "max": "max",
    "min": "min", "quad": "  ", ",": " ", ";": " ", "!": "",
}
_SUP = dict(zip("0123456789+-=()nitT⊤", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵗᵀᵀ"))
_SUB = dict(zip("0123456789+-=()aeijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.DOTALL)
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)


def _script(body: str, table: dict[str, str], mark: str) -> str:
    if body and all(ch in table for ch in body):
        return "".join(table[ch] for ch in body)
    return f"{mark}({body})" if len(body) > 1 else f"{mark}{body}"


def latex_to_unicode(tex: str) -> str:
    """Modest LaTeX-to-Unicode for inline math: symbols, \\frac, sub- and superscripts."""
    out = tex
    for _ in range(3):  # nested \frac / \mathbf
        out = re.sub(r"\\(?:mathbf|mathrm|mathit|text|operatorname|boldsymbol)\{([^{}]*)\}", r"\1", out)
        out = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}",
                     lambda m: f"{_paren(m.group(1))}/{_paren(m.group(2))}", out)
        out = re.sub(r"\\(hat|bar|tilde)\{(\w)\}",
                     lambda m: m.group(2) + {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303"}[m.group(1)], out)
        out = re.sub(r"\\sqrt\{([^{}]*)\}", lambda m: f"√{_paren(m.group(1))}", out)
    out = re.sub(r"\\([A-Za-z]+|[,;!])", lambda m: _SYMBOLS.get(m.group(1), m.group(1)), out)
    out = re.sub(r"\^\{([^{}]*)\}|\^(\S)", lambda m: _script(m.group(1) or m.group(2), _SUP, "^"), out)
    out = re.sub(r"_\{([^{}]*)\}|_(\w)", lambda m: _script(m.group(1) or m.group(2), _SUB, "_"), out)
    return out.replace("\\{", "{").replace("\\}", "}").replace("{", "").replace("}", "")


def _paren(text: str) -> str:
    return text if re.fullmatch(r"[\w.]+", text) else f"({text})"


def readable_math(markdown: str) -> str:
    """Convert `$...$` and `$$...$$` spans outside code to Unicode; leave code untouched."""
    parts = _CODE.split(markdown)
    for i in range(0, len(parts), 2):
        parts[i] = _MATH.sub(lambda m: latex_to_unicode(m.group(1) or m.group(2)), parts[i])
    return "".join(parts)


def signatures(starter: str, functions: tuple[str, ...]) -> list[str]:
    """`def name(args) -> ret:` plus the first docstring line, for each function to write."""
    try:
        tree = ast.parse(starter)
    except SyntaxError:
        return []
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in functions:
            doc = (ast.get_docstring(node) or "").strip().splitlines()
            if isinstance(node, ast.ClassDef):
                head = f"class {node.name}" + (f"({', '.join(ast.unparse(b) for b in node.bases)})" if node.bases else "") + ":"
            else:
                ret = f" -> {ast.unparse(node.returns)}" if node.returns else ""
                head = f"def {node.name}({ast.unparse(node.args)}){ret}:"
                if len(head) > 60:  # wrap the arguments so the task reads in a narrow lesson pane
                    lines, line = [], ""
                    for arg in ast.unparse(node.args).split(", "):
                        if line and len(line) + len(arg) + 2 > 52:
                            lines.append(line + ",")
                            line = arg
                        else:
                            line = f"{line}, {arg}" if line else arg
                    lines.append(line)
                    head = f"def {node.name}(\n" + "".join(f"    {ln}\n" for ln in lines) + f"){ret}:"
            doc_lines = textwrap.wrap(f'"""{doc[0]}"""', 52) if doc else []
            found[node.name] = head + "".join(f"\n    {ln}" for ln in doc_lines)
    return [found[name] for name in functions if name in found]


def task_markdown(ex) -> str:
    """The header of the lesson view: where to write, and what."""
    sigs = signatures(ex.starter, ex.functions)
    lines = [f"**{ex.id}** · write {', '.join(f'`{f}`' for f in ex.functions)} in `{ex.workspace_path}`"]
    if ex.section:
        lines += ["", f"*{ex.section}*"]
    if sigs:
        lines += ["", "```python", *("\n\n".join(sigs).splitlines()), "```"]
    return "\n".join(lines) + "\n\n---\n\n"


class LessonView(VerticalScroll):
    """The exercise's task box and its lesson, scrollable."""

    DEFAULT_CSS = """
    LessonView { padding: 0 1; }
    LessonView Markdown { margin: 0; padding: 0; }
    """

    def __init__(self, exercise, **kwargs) -> None:
        super().__init__(**kwargs)
        self.exercise = exercise

    def compose(self) -> ComposeResult:
        yield Markdown(task_markdown(self.exercise) + readable_math(self.exercise.lesson), id="lesson-md")
