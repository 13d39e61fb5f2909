"""Home: chapters, progress per chapter and overall, every exercise with its status."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static, Tree

from tutor.engine.verdicts import STATUS_LOOKS


def bar(done: int, total: int, width: int = 10) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


class HomeScreen(Screen[None]):
    AUTO_FOCUS = "#exercise-tree"
    BINDINGS = [
        Binding("enter", "open", "open", show=False),
        Binding("ctrl+r", "check_selected", "check"),
        Binding("f1,question_mark", "app.help", "help"),
        Binding("q", "app.quit", "quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-top"):
            yield Static(id="overall-text")
            yield ProgressBar(id="overall-bar", show_eta=False, show_percentage=True)
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
        self.refresh_status(select=self.app.resume_exercise())
        self.query_one(Tree).border_title = "Exercises"
        self.query_one("#home-detail").border_title = "Details"
        self.query_one(Tree).focus()

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 100, "narrow")  # the tree alone, with full labels

    def on_screen_resume(self) -> None:
        self.app.invalidate_status()  # a grading may have finished after its screen was left
        tree = self.query_one(Tree)
        node = tree.cursor_node
        current = node.data.id if node is not None and node.data is not None else None
        self.refresh_status(select=self.app.last_opened or current)

    def refresh_status(self, select: str | None = None) -> None:
        app = self.app
        statuses = app.statuses()
        tree = self.query_one(Tree)
        tree.clear()
        total = len(statuses)
        passing = sum(s == "passing" for s in statuses.values())
        target = None
        for ch in app.catalog.chapters:
            done = sum(statuses[ex.id] == "passing" for ex in ch.exercises)
            label = Text.assemble((f"Chapter {ch.number}", "bold"), f" · {ch.title}  ",
                                  (f"{bar(done, len(ch.exercises), 6)} {done}/{len(ch.exercises)}",
                                   "green" if done == len(ch.exercises) and done else "dim"))
            node = tree.root.add(label, data=ch, expand=True)
            for ex in ch.exercises:
                status = statuses[ex.id]
                look = STATUS_LOOKS[status]
                icon, style = look.icon, look.colour
                leaf = node.add_leaf(Text.assemble((f"{icon} ", style), (ex.title, ""), ("  " + status, style)), data=ex)
                if ex.id == select:
                    target = leaf
        self.query_one("#overall-text", Static).update(
            Text.assemble(("Overall  ", "bold"), f"{passing}/{total} exercises passing",
                          (f"   ·   workspace {app.workspace.root.name}", "dim")))
        progress = self.query_one("#overall-bar", ProgressBar)
        progress.update(total=max(total, 1), progress=passing)
        if target is not None:
            self.call_after_refresh(self._select, target)

    def _select(self, node) -> None:
        tree = self.query_one(Tree)
        tree.move_cursor(node)
        tree.scroll_to_node(node)

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

    def action_check_selected(self) -> None:
        self.action_open()
        screen = self.app.screen
        if hasattr(screen, "action_check"):
            screen.action_check()

    def show_detail(self, data) -> None:
        app = self.app
        out = Text()
        if data is None:
            pass
        elif hasattr(data, "slug"):
            ex = data
            status = app.statuses()[ex.id]
            look = STATUS_LOOKS[status]
            icon, style = look.icon, look.colour
            out.append(f"{ex.title}\n", style="bold")
            out.append(f"{ex.id}   ", style="dim")
            out.append(f"{icon} {status}\n\n", style=style)
            if ex.section:
                out.append(f"{ex.section}\n\n", style="italic")
            out.append("You write: ", style="bold")
            out.append(", ".join(ex.functions) + f"  in {ex.workspace_path}\n")
            attempts = app.store.attempts(ex.id)
            hints = app.store.hints_taken(ex.id)
            out.append(f"\n{len(attempts)} check(s) so far · {hints}/{len(ex.hints)} hints taken\n", style="dim")
            if attempts:
                last = attempts[-1]
                out.append(f"last check: {last.verdict}, score {last.score:.0%}\n", style="dim")
            out.append("\nenter: open   ctrl+r: open and check   ctrl+p: jump anywhere", style="dim")
        else:
            ch = data
            out.append(f"Chapter {ch.number}: {ch.title}\n\n", style="bold")
            if ch.summary:
                out.append(ch.summary + "\n\n")
            statuses = app.statuses()
            for ex in ch.exercises:
                look = STATUS_LOOKS[statuses[ex.id]]
                icon, style = look.icon, look.colour
                out.append(f"{icon} ", style=style)
                out.append(f"{ex.title}  ")
                out.append(f"{statuses[ex.id]}\n", style=style)
        self.query_one("#detail-text", Static).update(out)
