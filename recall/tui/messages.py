"""What the review screens ask of the app: one Message per intent of the user.

Messages go up, calls go down. A screen posts one of these when a key is
pressed (``RecallScreen.post_to_app``); ``RecallApp`` applies it to the session
(which writes through the store) and then tells the screens what to show
(``ReviewScreen.show_card``, the session bar's figures, the next screen). No
screen reads the session, the store or the app's state.

The intents about a card name no card: the app applies them to the card on show
when it handles them. Keys typed ahead of the app (a burst, a paste) then act on
the cards they reach, one after the other, as they did when the screens wrote to
the database themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from recall.tui.data import ExtraMode


class Graded(Message):
    """The card on show was graded: write the grade to the review log (timed by the app) and show the next card."""

    def __init__(self, grade: int) -> None:
        super().__init__()
        self.grade = grade
        """The grade of the key pressed (0-5, as the preset maps it)."""


class SetAside(Message):
    """The card on show is skipped: not today, it comes back tomorrow."""


class Discarded(Message):
    """The card on show is discarded: never shown again (undo brings it back)."""


class FavoriteToggled(Message):
    """The card on show is marked as a favourite, or unmarked if it was one."""


class FrequencyStepped(Message):
    """Show the source of the card on show more often (``more``: ``+``) or less often (``-``, down to never)."""

    def __init__(self, more: bool) -> None:
        super().__init__()
        self.more = more
        """True: one level towards ``more``; False: one towards ``never`` (``recall.frequency.LEVELS``)."""


class UndoRequested(Message):
    """Take back the last step of this session (grade, skip, discard, favourite or frequency change)."""


class ExtraSessionRequested(Message):
    """Start a session beyond today's: review ahead, or learn new highlights now."""

    def __init__(self, mode: ExtraMode) -> None:
        super().__init__()
        self.mode = mode
        """Which extra session; the session bar shows it."""


class CardLinkRequested(Message):
    """Open the link of the card on show (its location's, else its source's) in the browser."""


class LinksRequested(Message):
    """List the links of the card on show (in its text and note, and its location's), to open one."""


class LinkClicked(Message):
    """A link in the highlight's text or note was clicked, or picked from the list of links: open it in the
    browser (only if it is http(s))."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        """The link as written in the highlight."""


class NoteEditRequested(Message):
    """Open the note of the card on show in ``$EDITOR`` at the highlight's line."""
