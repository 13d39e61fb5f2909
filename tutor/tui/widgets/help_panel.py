"""The help panel (f1): Textual's own HelpPanel, generated from the bindings so it cannot drift.

The one change: the tutor's own keys of the screen and the app (check, hint, lesson, next,
back...) come first, then the keys every Textual screen has (tab, copy), then those of the
focused widget (the editor's cursor keys, the table's). Textual lists the focused widget's
first, which on a 24-row terminal pushes the tutor's own keys out of sight.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from rich import box
from rich.table import Table
from rich.text import Text

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import HelpPanel, KeyPanel, Markdown
from textual.widgets._key_panel import BindingsTable


def _declared_by(node, binding) -> bool:
    """Whether `binding` comes from the BINDINGS of `node`'s own class (not from Textual's)."""
    declared = type(node).__dict__.get("BINDINGS", [])
    return any(isinstance(b, Binding) and (b.action, b.description) == (binding.action, binding.description)
               for b in declared)


class KeysTable(BindingsTable):
    """BindingsTable (textual 8.2.8) with the screen's and the app's bindings first."""

    def render_bindings_table(self) -> Table:
        screen, app = self.screen, self.app
        active = list(screen.active_bindings.values())
        ours = [b for b in active if b[0] is screen or b[0] is app]
        # tutor's own keys before those every Textual screen has (tab, shift+tab, copy)
        own = [b for b in ours if _declared_by(b[0], b[1])]
        bindings = own + [b for b in ours if b not in own] + [b for b in active if b not in ours]

        key_style = self.get_component_rich_style("bindings-table--key")
        divider_transparent = self.get_component_styles("bindings-table--divider").color.a == 0
        table = Table(padding=(0, 0), show_header=False,
                      box=box.SIMPLE if divider_transparent else box.HORIZONTALS,
                      border_style=self.get_component_rich_style("bindings-table--divider"))
        table.add_column("", justify="right")
        header_style = self.get_component_rich_style("bindings-table--header")
        description_style = self.get_component_rich_style("bindings-table--description")

        def describe(binding) -> Text:
            text = Text.from_markup(binding.description, end="", style=description_style)
            if binding.tooltip:
                if binding.description:
                    text.append(" ")
                text.append(binding.tooltip, "dim")
            return text

        for namespace, group in groupby(bindings, key=lambda b: b[0]):
            rows = list(group)
            if namespace.BINDING_GROUP_TITLE:
                title = Text(namespace.BINDING_GROUP_TITLE, end="")
                title.stylize(header_style)
                table.add_row("", title)
            by_action: defaultdict[str, list] = defaultdict(list)
            for _, binding, _enabled, _tooltip in rows:
                if not binding.system:
                    by_action[binding.action].append(binding)
            for same in by_action.values():
                keys = " ".join(dict.fromkeys(app.get_key_display(b) for b in same))
                table.add_row(Text(keys, style=key_style), describe(same[0]))
            table.add_section()
        return table


class KeysPanel(KeyPanel, can_focus=False):
    def compose(self) -> ComposeResult:
        yield KeysTable(shrink=True, expand=False)


class TutorHelpPanel(HelpPanel):
    def compose(self) -> ComposeResult:
        yield Markdown(id="widget-help")
        yield KeysPanel(id="keys-help")
