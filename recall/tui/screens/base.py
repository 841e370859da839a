"""The base of recall's screens: Textual's screen keys kept, but out of the keys panel."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen


class RecallScreen(Screen[None], inherit_bindings=False):
    """A screen whose keys panel lists only recall's own keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Focus next", show=False, system=True),
        Binding("shift+tab", "app.focus_previous", "Focus previous", show=False, system=True),
        Binding("super+c", "screen.copy_text", "Copy selected text", show=False, system=True),  # ctrl+c quits
    ]

    def post_to_app(self, message: Message) -> None:
        """Post ``message`` (``recall.tui.messages``) straight into the app's queue.

        Not through this screen's own queue first: the app runs every key's action
        in turn, so a message posted here is queued before anything a later key
        does. A grade typed just before ``q`` is written before the app exits.
        """
        self.app.post_message(message)
