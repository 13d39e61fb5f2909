"""Home: chapters, progress per chapter and overall, every exercise with its status.

It follows progress live: a grading, a reset or a hint anywhere in the app (ProgressChanged)
and anything recorded from outside (`tutor check` in another terminal, seen by polling the
progress store's version) update the tree, the totals and the details in place.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static, Tree

from tutor.engine.verdicts import STATUS_LOOKS, legend
from tutor.tui.messages import KernelsProgress, ProgressChanged


def bar(done: int, total: int, width: int = 10) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


class HomeScreen(Screen[None]):
    AUTO_FOCUS = "#exercise-tree"
    HELP = f"""\
## tutor

Read a lesson, write the function in your workspace file, check it, repeat until every
check is green. Choose an exercise with ↑ ↓ and `enter` (or the mouse); `n` opens the next
one not passing yet; `ctrl+p` jumps anywhere.

**Verdicts** {legend()}.
"""
    BINDINGS = [
        Binding("enter", "open", "open", show=False, tooltip="open the highlighted exercise"),
        Binding("n", "next", "next", tooltip="open the next exercise not passing yet"),
        Binding("ctrl+r", "check_selected", "check", tooltip="open the highlighted exercise and check it"),
        Binding("question_mark", "app.help", "help", show=False, tooltip="show or hide the keys"),
        Binding("q", "app.quit", "quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._tree_nodes: dict[str, object] = {}  # exercise or chapter id -> tree node
        self._version = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-top"):
            yield Static(id="overall-text")
            yield ProgressBar(id="overall-bar", show_eta=False, show_percentage=True)
            yield Static(id="kernels-line")
        with Horizontal(id="home-main"):
            tree: Tree = Tree("curriculum", id="exercise-tree")
            tree.show_root = False
            tree.guide_depth = 2
            yield tree
            with VerticalScroll(id="home-detail"):
                yield Static(id="detail-text")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "tutor"
        self.sub_title = str(self.app.workspace.root.name)
        self.set_class(self.app.size.width < 100, "narrow")
        self._build()
        self.refresh_status(select=self.app.resume_exercise())
        self.query_one(Tree).border_title = "Exercises"
        self.query_one("#home-detail").border_title = "Details"
        self.query_one(Tree).focus()
        self._show_kernels(self.app.kernels)
        self._version = self.app.store.version()
        self.set_interval(max(self.app.poll_interval, 0.1) * 2, self._poll_store, name="follow-progress")

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 100, "narrow")  # the tree alone, with full labels

    def on_screen_resume(self) -> None:
        self.app.invalidate_status()  # a grading may have finished after its screen was left
        self.refresh_status(select=self.app.last_opened or self._cursor_id())

    def on_progress_changed(self, message: ProgressChanged) -> None:
        self.refresh_status()

    def on_kernels_progress(self, message: KernelsProgress) -> None:
        self._show_kernels(message)

    def _show_kernels(self, news: KernelsProgress | None) -> None:
        line = self.query_one("#kernels-line", Static)
        text = news.line() if news is not None else ""
        line.display = bool(text)
        line.update(Text(text, style="dim"))

    def _poll_store(self) -> None:
        """Progress recorded from outside the app (another terminal's `tutor check`)."""
        if not self.is_current:
            return
        version = self.app.store.version()
        if version != self._version:
            self._version = version
            self.app.invalidate_status()
            self.refresh_status()

    def _cursor_id(self) -> str | None:
        node = self.query_one(Tree).cursor_node
        return node.data.id if node is not None and node.data is not None else None

    def _build(self) -> None:
        tree = self.query_one(Tree)
        tree.clear()
        self._tree_nodes = {}
        for ch in self.app.catalog.chapters:
            node = tree.root.add("", data=ch, expand=True)
            self._tree_nodes[ch.id] = node
            for ex in ch.exercises:
                self._tree_nodes[ex.id] = node.add_leaf("", data=ex)

    def refresh_status(self, select: str | None = None) -> None:
        """Labels, totals and details from the current statuses (the tree itself stays)."""
        app = self.app
        statuses = app.statuses()
        total = len(statuses)
        passing = sum(s == "passing" for s in statuses.values())
        for ch in app.catalog.chapters:
            done = sum(statuses[ex.id] == "passing" for ex in ch.exercises)
            self._tree_nodes[ch.id].set_label(Text.assemble(
                (f"Chapter {ch.number}", "bold"), f" · {ch.title}  ",
                (f"{bar(done, len(ch.exercises), 6)} {done}/{len(ch.exercises)}",
                 "green" if done == len(ch.exercises) and done else "dim")))
            for ex in ch.exercises:
                status = statuses[ex.id]
                look = STATUS_LOOKS[status]
                self._tree_nodes[ex.id].set_label(Text.assemble((f"{look.icon} ", look.colour), (ex.title, ""),
                                                           ("  " + status, look.colour)))
        self.query_one("#overall-text", Static).update(
            Text.assemble(("Overall  ", "bold"), f"{passing}/{total} exercises passing",
                          (f"   ·   workspace {app.workspace.root.name}", "dim")))
        self.query_one("#overall-bar", ProgressBar).update(total=max(total, 1), progress=passing)
        target = self._tree_nodes.get(select) if select else None
        if target is not None:
            self.call_after_refresh(self._select, target)
        else:
            node = self.query_one(Tree).cursor_node
            self.show_detail(node.data if node is not None else None)

    def _select(self, node) -> None:
        tree = self.query_one(Tree)
        tree.move_cursor(node)
        tree.scroll_to_node(node)
        self.show_detail(node.data)  # the cursor may not have moved: no highlight event then

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self.show_detail(event.node.data)

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected) -> None:
        data = event.node.data
        if data is not None and hasattr(data, "slug"):
            self.app.open_exercise(data.id)

    def action_open(self) -> None:
        node = self.query_one(Tree).cursor_node
        if node is not None and node.data is not None and hasattr(node.data, "slug"):
            self.app.open_exercise(node.data.id)

    def action_next(self) -> None:
        self.app.open_next()

    def action_check_selected(self) -> None:
        node = self.query_one(Tree).cursor_node
        if node is not None and node.data is not None and hasattr(node.data, "slug"):
            self.app.open_exercise(node.data.id, check=True)

    def show_detail(self, data) -> None:
        app = self.app
        out = Text()
        if data is None:
            pass
        elif hasattr(data, "slug"):
            ex = data
            status = app.statuses()[ex.id]
            look = STATUS_LOOKS[status]
            out.append(f"{ex.title}\n", style="bold")
            out.append(f"{ex.id}   ", style="dim")
            out.append(f"{look.icon} {status}\n\n", style=look.colour)
            if ex.section:
                out.append(f"{ex.section}\n\n", style="italic")
            out.append("You write: ", style="bold")
            out.append(", ".join(ex.functions) + f"  in {ex.workspace_path}\n")
            attempts = app.store.attempts(ex.id)
            hints = app.store.hints_taken(ex.id)
            out.append(f"\n{len(attempts)} check(s) so far · {hints}/{len(ex.hints)} hints taken\n", style="dim")
            last = app.store.latest().get(ex.id)
            if last is not None and status != "not started":
                out.append(f"last check: {last.verdict}, score {last.score:.0%}\n", style="dim")
            out.append("\nenter: open   n: next not passing   ctrl+p: jump anywhere", style="dim")
        else:
            ch = data
            out.append(f"Chapter {ch.number}: {ch.title}\n\n", style="bold")
            if ch.summary:
                out.append(ch.summary + "\n\n")
            statuses = app.statuses()
            for ex in ch.exercises:
                look = STATUS_LOOKS[statuses[ex.id]]
                out.append(f"{look.icon} ", style=look.colour)
                out.append(f"{ex.title}  ")
                out.append(f"{statuses[ex.id]}\n", style=look.colour)
        self.query_one("#detail-text", Static).update(out)
