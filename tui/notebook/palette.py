"""Command palette entries for every notebook command (Textual's palette with a Provider)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.notebook import keymap


def _commands() -> list[keymap.KeySpec]:
    return [spec for spec in keymap.DEFAULTS if spec.scope in ("global", "command")
            and not spec.action.startswith("app.")]


class NotebookCommands(Provider):
    """Offers each global and command-mode binding by its description."""

    def _run(self, action: str) -> None:
        screen = self.screen
        name = action.removeprefix("screen.")
        screen.call_later(screen.run_action, name)

    def _help(self, spec: keymap.KeySpec) -> str:
        keys = keymap.effective_keys(spec, dict(self.app._keymap))
        return f"{keymap.display_keys(keys)}   ({spec.id})"

    async def discover(self) -> Hits:
        """Everything, in table order."""
        for spec in _commands():
            yield DiscoveryHit(spec.description, partial(self._run, spec.action),
                               help=self._help(spec))

    async def search(self, query: str) -> Hits:
        """Commands whose description matches ``query``."""
        matcher = self.matcher(query)
        for spec in _commands():
            score = matcher.match(spec.description)
            if score > 0:
                yield Hit(score, matcher.highlight(spec.description),
                          partial(self._run, spec.action), help=self._help(spec))
