"""What one import did: counts for the summary line and ``--json``, and the warnings,
each with a kind so that many of one kind can be told as one line."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from recall.fsnames import readable

# Warning kinds, and how a group of them is told ("{n} {phrase} (first: …)").
GROUPS = {
    "frontmatter": "notes have frontmatter recall cannot read; their title and author came from the note body",
    "encoding": "files are not clean text (bad bytes or NULs); the rest of each was imported",
    "held": "highlights were held back: their text has bytes that are not valid text; save those notes as UTF-8",
    "lines": "notes have lines recall did not understand; those lines were not imported",
    "unread": "notes carry highlight signatures but gave no highlight; their format is not one recall reads",
    "skipped": "files could not be read; skipped",
    "unlisted": "folders or links could not be looked into; what was imported from them is kept",
    "symlink": "links lead out of the vault or into a dot-folder; not followed",
    "vanished": "vaults were not found or are empty; their highlights are kept",
}
GROUP_FROM = 4  # this many warnings of one kind or more are told as one line
PARTIAL_KINDS = {"lines", "unread", "skipped", "held", "unlisted", "symlink", "vanished"}  # something was not imported


@dataclass
class ImportReport:
    """What one import did, for the summary line and ``--json``."""

    vaults: list[str] = field(default_factory=list)
    absorbed: list[str] = field(default_factory=list)  # vaults that became part of one imported (see ``targets``)
    files_read: int = 0
    files_unchanged: int = 0
    files_ignored: int = 0  # Markdown files that are not highlight notes
    files_skipped: int = 0  # could not be read or parsed: see warnings
    files_removed: int = 0
    highlights_new: int = 0
    highlights_updated: int = 0
    highlights_unchanged: int = 0
    highlights_retired: int = 0
    highlights_restored: int = 0
    warnings: list[str] = field(default_factory=list)
    warning_kinds: list[str] = field(default_factory=list)  # the kind of each warning, in step

    def warn(self, kind: str, text: str) -> None:
        """Record a warning (``path[:line]: message``) of one of the ``GROUPS`` kinds; a
        name that is not UTF-8 is kept with U+FFFD for its bad bytes."""
        self.warnings.append(readable(text))
        self.warning_kinds.append(kind)

    @property
    def files_seen(self) -> int:
        """Files dealt with so far: read, unchanged, not highlight notes or skipped."""
        return self.files_read + self.files_unchanged + self.files_ignored + self.files_skipped

    @property
    def partial(self) -> bool:
        """True when something in the vault was not imported (exit code 3)."""
        return bool(self.files_skipped) or any(kind in PARTIAL_KINDS for kind in self.warning_kinds)

    def as_dict(self) -> dict[str, object]:
        """Every count and warning, for ``--json``."""
        data = asdict(self)
        data["warnings"] = [{"kind": k, "warning": w} for k, w in zip(self.warning_kinds, self.warnings, strict=True)]
        del data["warning_kinds"]
        return data

    def warning_lines(self, verbose: bool = False) -> list[str]:
        """The warnings to show: each one, or one line for a kind with many (unless ``verbose``)."""
        counts: dict[str, int] = {}
        for kind in self.warning_kinds:
            counts[kind] = counts.get(kind, 0) + 1
        lines, told = [], set()
        for kind, text in zip(self.warning_kinds, self.warnings, strict=True):
            if verbose or counts[kind] < GROUP_FROM:
                lines.append(text)
            elif kind not in told:
                told.add(kind)
                lines.append(f"{counts[kind]} {GROUPS[kind]} (first: {text}); --verbose lists them all")
        return lines

    def summary(self) -> str:
        """The one-line summary printed after an import."""
        return (
            f"files: {self.files_read} read, {self.files_unchanged} unchanged, "
            f"{self.files_ignored} not highlight notes, {self.files_skipped} skipped, "
            f"{self.files_removed} removed; highlights: {self.highlights_new} new, "
            f"{self.highlights_updated} updated, {self.highlights_unchanged} unchanged, "
            f"{self.highlights_retired} retired, {self.highlights_restored} restored"
        )
