"""A highlight's stable identity across re-syncs, renames and copies.

Keys, best first: the Readwise highlight id; the Reader highlight id; an id native
to the source (tweet, podcast clip, Instapaper, Hypothes.is, Omnivore and Zotero
annotations); a Kindle plugin ref or a numbered block id, within its source; otherwise
the source, the location (where it names one place in the note) and a hash of the
normalised text. Normalisation (NFC, NBSP as a space, collapsed whitespace, the
backtick hashtag escape undone) only serves identity: the text itself is stored as
written. ``other_keys`` gives the keys a highlight without ids may already be stored
under, so that an import re-keys it instead of retiring its history.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

READWISE_ID = re.compile(r"^(?:rwID-|rw)(\d+)(?:-note)?$")  # ^rw12, ^rwID-12
BLOCK_NUMBER = re.compile(r"^\d{6,}$")  # readwise-mirror's ^123456 (a date-like id of the user's is one too)
# Links that carry an id, by host (without "www."): the kind and the id's pattern.
TWEET = ("tweet", re.compile(r"/status(?:es)?/(\d+)"))
URL_IDS = {
    "readwise.io": ("rw", re.compile(r"readwise\.io/open/(\d+)")),
    "read.readwise.io": ("reader", re.compile(r"/read/([0-9a-z]{26})\b")),
    "twitter.com": TWEET,
    "mobile.twitter.com": TWEET,
    "x.com": TWEET,
    "airr.io": ("airr", re.compile(r"/quote/([\w-]+)")),
    "share.snipd.com": ("snipd", re.compile(r"/snip/([\w-]+)")),
    "snipd.com": ("snipd", re.compile(r"/snip/([\w-]+)")),
    "instapaper.com": ("instapaper", re.compile(r"/read/\d+/(\d+)")),
    "hyp.is": ("hypothesis", re.compile(r"hyp\.is/([\w-]+)")),
    "omnivore.app": ("omnivore", re.compile(r"#([0-9a-f-]{36})")),
    "open-pdf": ("zotero", re.compile(r"[?&]annotation=(\w+)")),  # zotero://open-pdf/…
}
ID_KINDS = ("rw", "reader", "tweet", "airr", "snipd", "instapaper", "hypothesis", "omnivore", "zotero")
FALLBACK_WITH_LOCATION = "loc:"


def normalise_text(text: str) -> str:
    """The form of a text that identity and duplicate detection compare."""
    text = unicodedata.normalize("NFC", text).replace("`#`", "#")
    return " ".join(text.split())


def normalise_label(label: str) -> str:
    """A location label with its NBSP and stray spaces made plain ('Location 12')."""
    return " ".join(label.split())  # str.split() splits on NBSP too


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def source_key(title: str, author: str | None) -> str:
    """Identity of a source (book, article, ...): its normalised title and author."""
    return normalise_text(f"{title}\x1f{author or ''}").casefold()


def highlight_key(ids: list[str], location: str | None, location_url: str | None, text: str, source: str) -> str:
    """The vault-wide key of one highlight (see the module docstring for the order)."""
    return id_key(ids, location_url, source) or fallback_key(location, normalise_text(text), source)


def id_key(ids: list[str], location_url: str | None, source: str) -> str | None:
    """The key an id gives a highlight (Readwise, Reader, the source's own, a Kindle
    plugin ref or a numbered block id, those two within their source), or None."""
    for raw in ids:
        if found := READWISE_ID.match(raw):
            return "rw:" + found.group(1)
        if raw.startswith("https://readwise.io/open/"):
            return "rw:" + raw.rsplit("/", 1)[-1]
    if location_url:
        host = location_url.split("/", 3)[2].removeprefix("www.") if location_url.count("/") >= 2 else ""
        if (known := URL_IDS.get(host)) and (found := known[1].search(location_url)):
            return f"{known[0]}:{found.group(1)}"
    for raw in ids:
        if raw.startswith("ref-"):
            return "kindle-ref:" + _digest(source, raw)
        if BLOCK_NUMBER.match(raw):
            return "block:" + _digest(source, raw)
    return None


def fallback_key(location: str | None, normalised: str, source: str) -> str:
    """The key of a highlight without ids: its source, its location (a position) if it
    has one, and its normalised text."""
    if location:
        return FALLBACK_WITH_LOCATION + _digest(source, normalise_label(location), normalised)
    return "text:" + _digest(source, normalised)


def other_keys(key: str, label: str | None, location: str | None, text: str, source: str) -> tuple[str, ...]:
    """Keys a highlight without ids (``key``: text or location) may already be stored
    under: the one recall 0.1 gave it (its link ``label`` taken for a location), and the
    one with or without its location (a location stops or starts being a position when
    another highlight at it comes or goes)."""
    if "#" in key or not key.startswith(("text:", FALLBACK_WITH_LOCATION)):
        return ()
    positional = location if key.startswith(FALLBACK_WITH_LOCATION) else None
    normalised = normalise_text(text)
    others = []
    if label is not None and normalise_label(label) != positional:
        others.append(fallback_key(label, normalised, source))
    if location:
        others.append(fallback_key(None if positional else location, normalised, source))
    return tuple(k for k in others if k != key)
