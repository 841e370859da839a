"""The review app's ways out, as the base of ``RecallApp``: links go to the browser, notes
to ``$EDITOR``, and every notice is shown literally.

What is safe to open, and how an editor is started, is decided in ``recall.tui.external``;
this class only asks it and says why when it refuses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App, SuspendNotSupported

from recall.tui import external, messages
from recall.tui.text import visible

if TYPE_CHECKING:
    from recall.tui.data import Card


class OutsideApp(App[None]):
    """An app that opens only http(s) links, opens notes in ``$EDITOR``, and tells literally; the
    links and note are those of ``card_on_show`` (the review app's card on show)."""

    @property
    def card_on_show(self) -> Card | None:
        """The card whose links and note ``o``, ``l`` and ``e`` open (None: none on show)."""
        return None

    def tell(self, message: str, **options: Any) -> None:
        """A notification whose text is shown literally: messages quote keymaps, paths and links."""
        self.notify(visible(message), markup=False, **options)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Open ``url`` in the browser, but only if it is http(s): a vault can hold any link."""
        if refusal := external.url_refusal(url):
            self.tell(f"Not opening this link: {refusal}.", severity="warning", timeout=5)
            return
        if self.is_web:
            super().open_url(url, new_tab=new_tab)
        elif not external.open_in_browser(url, new_tab=new_tab):
            self.tell(f"No browser found to open {url} (set $BROWSER).", severity="warning", timeout=6)

    def open_link(self, url: str | None) -> None:
        """Open a highlight's link, or say that it has none."""
        if not url:
            self.tell("No link on this highlight.", timeout=3)
        else:
            self.open_url(url)

    def edit_note(self, card: Card) -> None:
        """Open the note in ``$EDITOR`` at the highlight's line, with the app suspended."""
        editor = external.editor_from_env()
        if editor is None:
            self.tell("Set $EDITOR to open notes, e.g. export EDITOR=vim", severity="warning", timeout=5)
            return
        if card.note_file is None or not card.note_file.is_file():
            self.tell(f"Note not found: {card.note_file}", severity="error", timeout=5)
            return
        command = external.editor_command(editor, card.note_file, card.line)
        try:
            with self.suspend():
                status = external.run_editor(command)
        except SuspendNotSupported:
            self.tell("Cannot open an editor here: the app cannot be suspended.", severity="error")
            return
        except OSError as error:
            self.tell(f"Cannot start {editor[0]}: {error.strerror or error}", severity="error", timeout=5)
            return
        if status:
            self.tell(f"{editor[0]} exited with status {status}.", severity="warning", timeout=4)
        else:
            self.tell("Edits reach recall with the next `recall import`.", timeout=3)

    # -- the card's links and note ------------------------------------------------------------

    def on_card_link_requested(self, message: messages.CardLinkRequested) -> None:
        if (card := self.card_on_show) is not None:
            self.open_link(card.link)

    def on_links_requested(self, message: messages.LinksRequested) -> None:
        """``l``: the links in the card's text and note (and its location's), in a list to pick one from."""
        from recall.tui.card_text import CardLink, card_links
        from recall.tui.screens.links import LinkListScreen

        if (card := self.card_on_show) is None or isinstance(self.screen, LinkListScreen):
            return
        links = card_links(card.text, card.note)
        if card.link and card.link not in {link.url for link in links}:
            links.append(CardLink(f"{card.location or 'Source'} (o)", card.link))
        if not links:
            self.tell("No link on this highlight or its note.", timeout=3)
            return
        self.push_screen(LinkListScreen(links), lambda url: self.open_url(url) if url else None)

    def on_link_clicked(self, message: messages.LinkClicked) -> None:
        self.open_link(message.url)

    def on_note_edit_requested(self, message: messages.NoteEditRequested) -> None:
        if (card := self.card_on_show) is not None:
            self.edit_note(card)
