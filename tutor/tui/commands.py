"""Command palette provider: the current exercise's actions, then every exercise, then home."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ExerciseCommands(Provider):
    def _entries(self):
        app = self.app
        screen = self.screen  # the screen the palette was opened over
        if hasattr(screen, "palette_actions"):
            for text, help_text, command in screen.palette_actions():
                yield text, command, help_text
        nxt = app.next_exercise(after=getattr(getattr(screen, "exercise", None), "id", None))
        if nxt is not None and not hasattr(screen, "palette_actions"):
            yield f"next: {nxt.id} — {nxt.title}", partial(app.open_exercise, nxt.id), "the next exercise not passing yet"
        statuses = app.statuses()
        for ex in app.catalog.exercises:
            yield f"open {ex.id} — {ex.title}", partial(app.open_exercise, ex.id), f"{statuses[ex.id]}"
        yield "home: the exercise list", app.go_home, "chapters and progress"

    async def discover(self) -> Hits:
        for text, command, help_text in self._entries():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text)
