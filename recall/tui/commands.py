"""The command palette (ctrl+p) offers exactly the keys of the current screen.

Commands are read from the screen's active bindings, so the palette, the footer
and the help panel can never disagree, and a rebound key shows its new key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

SYSTEM_ACTIONS = {"quit", "toggle_help", "command_palette", "help_quit", "screenshot"}  # the palette has its own


class RecallCommands(Provider):
    """Recall's actions for the screen the palette was opened on."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        seen: set[str] = set()
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.system or not binding.description or binding.action in seen or binding.action in SYSTEM_ACTIONS:
                continue
            seen.add(binding.action)
            if not enabled:
                continue
            title = binding.description
            if binding.group is not None:
                title = f"{binding.group.description}: {binding.description}"
            # The palette parses help as markup; the key display comes from the user's keymap.
            help_text = escape(f"{binding.tooltip} (key {self.app.get_key_display(binding)})")
            yield title, help_text, partial(self.app.run_action, binding.action, node)

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = max(matcher.match(title), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)
