"""Plain-text tables for the terminal (`recall sources`, `recall search`), fitted to a width
in cells: rows never wrap. Vault text goes through ``recall.text.one_line`` first, so it is
shown literally; titles are cut in the middle, so two that differ only at the end stay apart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.text import Text

from recall.columns import cut_end, cut_middle, cut_start, pad, share, width
from recall.text import one_line

GAP = "  "


def _numbers(header: str, values: list[int]) -> int:
    return max([len(header), *(len(f"{v:,}") for v in values)])


def source_table(rows: list[dict[str, Any]], cells: int) -> list[str]:
    """``recall sources``' lines for ``source_listing`` rows, a header first, each line at most
    ``cells`` cells wide: Id, Title (cut in the middle), Author, Category, Active, Due, Reviewed, and
    Frequency when a source is not at ``normal`` (author and category left out when too narrow, and
    then the frequency)."""
    numbers = [("Id", "id"), ("Active", "active"), ("Due", "due"), ("Reviewed", "reviewed")]
    number_widths = {key: _numbers(header, [row[key] for row in rows]) for header, key in numbers}
    texts = [[one_line(row[key]) for key in ("title", "author", "category")] for row in rows]
    wanted = [max([width(header), *(width(t[i]) for t in texts)]) for i, header in enumerate(("Title", "Author", "Category"))]
    frequency_w = 0  # every source as often as usual: no column, the titles keep the room
    if any(row["frequency"] != "normal" for row in rows):
        frequency_w = max([len("Frequency"), *(len(row["frequency"]) for row in rows)])
    fixed = sum(number_widths.values()) + len(GAP) * 6 + (frequency_w + len(GAP) if frequency_w else 0)
    caps = (60, 16, 10)  # the title first: authors and categories are cut sooner
    title_w, author_w, category_w = share(cells - fixed, [min(w, cap) for w, cap in zip(wanted, caps, strict=True)], minimum=4)
    if fixed + title_w + author_w + category_w > cells:  # very narrow: drop author and category
        title_w, author_w, category_w = max(4, cells - fixed + 2 * len(GAP)), 0, 0
        if frequency_w and fixed - 2 * len(GAP) + title_w > cells:  # narrower still: and the frequency
            title_w = max(4, cells - fixed + 3 * len(GAP) + frequency_w)
            frequency_w = 0

    def line(ident: str, title: str, author: str, category: str, counts: list[str], frequency: str) -> str:
        parts = [pad(ident, number_widths["id"], right=True), pad(cut_middle(title, title_w), title_w)]
        if author_w:
            parts += [pad(cut_end(author, author_w), author_w), pad(cut_end(category, category_w), category_w)]
        parts += [pad(n, number_widths[key], right=True) for n, (_, key) in zip(counts, numbers[1:], strict=True)]
        return GAP.join([*parts, frequency] if frequency_w else parts).rstrip()

    lines = [line("Id", "Title", "Author", "Category", ["Active", "Due", "Reviewed"], "Frequency")]
    for row, (title, author, category) in zip(rows, texts, strict=True):
        lines.append(line(str(row["id"]), title, author, category,
                          [f"{row[key]:,}" for key in ("active", "due", "reviewed")], row["frequency"]))
    return lines


def search_lines(rows: list[dict[str, Any]], cells: int) -> list[Text]:
    """``recall search``'s lines for ``recall.db.search`` rows, each at most ``cells`` cells: per
    result, the id and source (title — author; its status when not active), then the snippet,
    indented, with the matched words in bold; vault text shown literally, Markdown as plain text."""
    from rich.text import Text

    from recall.db.search import MATCH_END, MATCH_START
    from recall.plain import plain_text

    lines: list[Text] = []
    indent = " " * 8
    for row in rows:
        source = " — ".join(filter(None, (one_line(row["title"]), one_line(row["author"]))))
        state = "" if row["status"] == "active" else f" ({row['status']})"
        head = f"{row['id']:>6}  "
        lines.append(Text(head + cut_middle(source + state, cells - len(head))))
        snippet = one_line(plain_text(row["snippet"]))
        if row["matched_in"] == "note":
            snippet = "Note: " + snippet
        text = Text(indent)
        room = cells - len(indent)
        before, mark, after = snippet.partition(MATCH_START)
        whole = width(snippet) - snippet.count(MATCH_START) - snippet.count(MATCH_END)
        if mark and whole > room and width(before) > room // 2:  # the first match stays in sight
            snippet = cut_start(before, room // 3) + mark + after
        for number, piece in enumerate(snippet.replace(MATCH_END, MATCH_START).split(MATCH_START)):
            shown = cut_end(piece, room)
            room -= width(shown)
            text.append(shown, style="bold" if number % 2 else "")
            if shown != piece:
                break
        lines.append(text)
    return lines
