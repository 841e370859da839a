"""What a review card hides before the reveal: a cloze, a cue, or nothing.

A review first shows a **prompt**, then the whole highlight. Three styles (the ``prompt``
setting, ``vocabulary.PromptStyle``):

- ``cloze`` (the default): the highlight with a few key words blanked, shown as ``[…]``. This is
  the cloze deletion of Anki ("Cloze Deletion" in the Anki manual, where a deletion shows as
  ``[...]``) and of Readwise Mastery (Readwise's 2020 feature that turns a highlight into a
  cloze by blanking one of its key words). One blank per 12 words, at least 1, at most 3
  (``blank_count``). The user's own emphasis (``==marked==``, ``**bold**``, ``__bold__``) is
  chosen first, the blank covering the emphasised words without their markers; otherwise the
  rarest content words, by the ``wordfreq`` library's Zipf frequency (log10 of occurrences per
  billion words: 7.7 for "the", 2.3 for "daemons"). Words of 4 letters or more come first;
  words as common as function words (Zipf ``STOP_ZIPF`` or more) are never blanked. A blank
  never falls inside inline code, a fenced or indented code block, an image, a link's URL
  (bare, autolinked or Markdown), an entity, an escape, a tag-like ``<…>``, a ``#tag`` or an
  ``@handle``, and never splits a word.
- ``cue``: the first few words (3 to 5, never more than a third of the highlight's words) and
  the rest hidden; the review screen adds source, chapter, location and note.
- ``full``: everything at once (rereading).

A cloze is **deterministic**: the same highlight key and review number give the same blanks
(undo and a restart show the same card), while the next review may blank other words of
comparable rarity (a hash of key, review number and the word's offset orders them; no random
generator). A highlight that does not lend itself to a cloze falls back to a cue, with the
reason (``Fallback``) for the screen to show.

The module is pure: text in, offsets out; no database, clock or front-end. ``wordfreq`` is
imported on the first cloze that needs word frequencies, not before (importing it and loading
the English list takes about a quarter of a second, so the review app paints first and may
call ``load_word_frequencies`` in a worker).

The package: ``shapes`` (the prompt, its blanks and fallbacks, the tuning numbers), ``markdown``
(reading the highlight's Markdown: its words and what a blank must not touch), ``cloze``
(choosing blanks by word frequency, and the end of a cue).
"""

from __future__ import annotations

from recall.prompt.cloze import blank_count, choose_blanks, cue_end, zipf_lookup
from recall.prompt.markdown import Layout
from recall.prompt.shapes import BLANK_MARKDOWN, CUE_ELLIPSIS, Blank, Fallback, Prompt, UnknownLanguage
from recall.vocabulary import PromptStyle

__all__ = [
    "BLANK_MARKDOWN",
    "CUE_ELLIPSIS",
    "Blank",
    "Fallback",
    "Prompt",
    "PromptStyle",
    "UnknownLanguage",
    "blank_count",
    "load_word_frequencies",
    "prompt_for",
    "prompt_markdown",
]


def prompt_for(text: str, style: PromptStyle, key: str, review_number: int, language: str = "en") -> Prompt:
    """The prompt for ``text`` (a highlight's Markdown as stored) in ``style``.

    ``key`` (the highlight's stable identity) and ``review_number`` (its reviews so far, drills
    included) decide which of the candidate words are blanked: the same pair, the same blanks.
    ``language`` is a wordfreq language code (``en``, ``de``, ``fr``, ``it``, ``ja``, …) for the
    word frequencies; raises ``UnknownLanguage`` for one wordfreq does not have (only when a
    cloze needs the frequencies). Cue and full prompts, and every fallback, never load wordfreq.
    """
    style = PromptStyle(style)
    if style is PromptStyle.FULL:
        return Prompt(style=PromptStyle.FULL, asked=style)
    layout = Layout.of(text)
    if style is PromptStyle.CUE:
        return Prompt(style=PromptStyle.CUE, asked=style, cue_end=cue_end(layout))
    fallback = layout.fallback()
    blanks: tuple[Blank, ...] = ()
    if fallback is None:
        blanks = choose_blanks(layout, key, review_number, language)
        if not blanks:
            fallback = Fallback.NO_KEY_WORDS
    if fallback is not None:
        return Prompt(style=PromptStyle.CUE, asked=style, fallback=fallback, cue_end=cue_end(layout))
    return Prompt(style=PromptStyle.CLOZE, asked=style, blanks=blanks)


def prompt_markdown(text: str, prompt: Prompt) -> str:
    """The Markdown the card shows before the reveal.

    Full: ``text`` as it is. Cloze: each blank replaced by ``BLANK_MARKDOWN`` (rendered ``[…]``),
    every other character untouched. Cue: ``text`` up to ``cue_end``, emphasis left open there
    closed again (``**Two words…`` → ``**Two**``), a link cut in its label shown as plain words,
    then `` …`` (only ``…`` when no word is shown).
    """
    if prompt.style is PromptStyle.CLOZE:
        parts: list[str] = []
        at = 0
        for blank in prompt.blanks:
            parts.append(text[at : blank.start])
            parts.append(BLANK_MARKDOWN)
            at = blank.end
        parts.append(text[at:])
        return "".join(parts)
    if prompt.style is PromptStyle.CUE:
        end = prompt.cue_end or 0
        if end <= 0:
            return CUE_ELLIPSIS
        layout = Layout.of(text)
        shown = text[:end]
        for link in layout.links:
            if link.label_start <= end < link.end:  # cut inside the label: its words, without the bracket
                shown = text[: link.start] + text[link.label_start : end]
        closers = [
            e.marker for e in sorted(layout.emphasis, key=lambda e: -e.inner_start) if e.inner_start < end < e.end
        ]
        return shown.rstrip() + "".join(closers) + " " + CUE_ELLIPSIS
    return text


def load_word_frequencies(language: str = "en") -> None:
    """Import wordfreq and load ``language``'s list now (about 0.25 s for English here), e.g. in a
    worker once the review screen is painted, so that the first cloze does not wait for it."""
    zipf_lookup(language)("recall")

