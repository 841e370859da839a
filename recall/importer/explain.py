"""``recall import --explain FILE``: how recall reads one note, line by line.

Which reader took the note and on what evidence, then every line with what it became
(highlight N, note of N, tags of N, chapter, metadata, not understood, …), so that a
user can see why a highlight of a custom template was or was not imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from recall.fsnames import readable
from recall.importer.decoding import decode, size_refusal
from recall.importer.note import NotAHighlightNote, ParsedNote
from recall.importer.parse import parse_note
from recall.importer.walk import skipped_name
from recall.text import one_line, visible

NOT_UNDERSTOOD = "NOT UNDERSTOOD"


class NotRead(Exception):
    """`recall import` would not read this file (too large, not a note, in a dot-folder, or
    a link out of its vault), so neither does ``explain``; the message says why."""


@dataclass(slots=True)
class Explanation:
    """One note explained: ``note`` is None for an ordinary note (``reason`` says why);
    ``lines`` holds (1-based line, what it became, the line's text)."""

    path: str
    note: ParsedNote | None
    reason: str
    lines: list[tuple[int, str, str]]
    evidence: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The explanation for ``--json``."""
        note = self.note
        return {
            "path": self.path,
            "highlight_note": note is not None,
            "reason": self.reason,
            "reader": note.reader if note else None,
            "evidence": list(note.evidence if note else self.evidence),
            "title": note.title if note else None,
            "author": note.author if note else None,
            "highlights": len(note.highlights) if note else 0,
            "lines": [{"line": n, "role": role, "text": text} for n, role, text in self.lines],
        }


def explain(path: Path, folders: tuple[str, ...] = ()) -> Explanation:
    """Parse the note at ``path`` as an import would. The vault-relative path (for the
    folder evidence) is taken from the nearest folder holding ``.obsidian``, else the
    path as given. Raises OSError when the file cannot be read, NotRead when `recall
    import` would not read it (then nothing of it is read here either)."""
    rel = readable(_vault_relative(path))
    if why := _not_read(path):
        raise NotRead(f"{readable(str(path))}: {why}; `recall import` does not read it")
    text, _problems = decode(path.read_bytes())
    lines = text.split("\n")
    try:
        note = parse_note(text, rel, folders)
    except NotAHighlightNote as ordinary:
        return Explanation(rel, None, ordinary.reason, [(n, "", line) for n, line in enumerate(lines, 1)], ordinary.evidence)
    inside: set[int] = set()
    for first, last in note.regions:
        inside.update(range(first, last + 1))
    first_region = min((first for first, _ in note.regions), default=len(lines) + 1)
    explained = []
    for number, line in enumerate(lines, 1):
        at = number - note.body_line0
        role = note.roles[at] if 0 <= at < len(note.roles) else None
        if role is not None:
            what, highlight = role
            label = f"{what} {highlight}" if highlight is not None else what
        elif not line.strip():
            label = ""
        elif number in inside:
            label = NOT_UNDERSTOOD
        else:
            label = "header" if number < first_region else "not a highlights section"
        explained.append((number, label, line))
    return Explanation(rel, note, "", explained)


def render(explanation: Explanation) -> list[str]:
    """The explanation as terminal lines, every piece of note text shown literally."""
    note = explanation.note
    out = [one_line(explanation.path)]
    if note is None:
        out.append(f"  not a highlight note: {explanation.reason}")
        if explanation.evidence:
            out.append(f"  evidence: {one_line(', '.join(explanation.evidence))}")
    else:
        out.append(f"  read by: {note.reader or 'no reader (no highlight found)'}")
        out.append(f"  evidence: {one_line(', '.join(note.evidence))}")
        out.append(f"  title: {one_line(note.title)}; author: {one_line(note.author) or '-'}; category: {one_line(note.category) or '-'}")
        unknown = sum(1 for _, role, _ in explanation.lines if role == NOT_UNDERSTOOD)
        out.append(f"  {len(note.highlights)} highlights; {unknown} lines not understood")
    width = max((len(role) for _, role, _ in explanation.lines), default=0)
    digits = len(str(len(explanation.lines)))
    out.append("")
    for number, role, line in explanation.lines:
        out.append(f"{number:>{digits}} \u2502 {role:<{width}} \u2502 {visible(line)}".rstrip())
    return out


def _not_read(path: Path) -> str | None:
    """Why the import would not read ``path``, or None: the rules of the vault walk, for
    the path as given and where its links lead (the vault: the nearest folder holding
    ``.obsidian``, else the note's own folder)."""
    given = Path(os.path.abspath(path))
    resolved = given.resolve()
    vault = next((p for p in given.parents if (p / ".obsidian").is_dir()), given.parent)
    if not resolved.is_relative_to(vault):
        return f"a link to {readable(str(resolved))}, outside the vault {readable(str(vault))}"
    for named in (given, resolved):
        if any(skipped_name(part) for part in named.relative_to(vault).parts):
            return "it lies in a dot-folder (or `Full Document Contents/`, or is `Readwise Syncs.md`)"
    if not (resolved.name.endswith(".md") and given.name.endswith(".md")):
        return "it is not a Markdown note"
    return size_refusal(resolved.stat().st_size)


def _vault_relative(path: Path) -> str:
    resolved = path.resolve()
    for parent in resolved.parents:
        if (parent / ".obsidian").is_dir():
            return resolved.relative_to(parent).as_posix()
    return path.as_posix()
