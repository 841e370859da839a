"""Looking things up: `recall show ID` (one highlight in full) and `recall search TEXT`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from recall.cli.common import DbOption, IdArgument, JsonOption, act, app, open_caught_up_engine
from recall.text import json_text, one_line, visible


@app.command("show")
def show_command(highlight_id: IdArgument, db: DbOption = None, as_json: JsonOption = False) -> None:
    """One highlight in full: text, note, tags, source, place, status, schedule and every review.

    Exit code 4: no highlight with that id.
    """
    from recall.scheduler.history import highlight_history

    engine = open_caught_up_engine(db)
    record = act(lambda: highlight_history(engine, highlight_id))
    if as_json:
        typer.echo(json_text(record, indent=2))
    else:
        typer.echo("\n".join(show_lines(record)))


def _state(row: dict[str, Any], side: str) -> str:
    due = row[f"due_{side}"] or "—"
    return f"{row[f'repetitions_{side}']} · {row[f'easiness_{side}']} · {row[f'interval_{side}']} d · {due}"


def show_lines(record: dict[str, Any]) -> list[str]:
    """``recall show``'s terminal text for a ``highlight_history`` record, one str a line;
    vault text shown literally (``recall.text``)."""
    marks = [record["status"], *(["favourite"] if record["favorite"] else [])]
    if record["skipped_until"]:
        marks.append(f"skipped through {record['skipped_until']}")
    lines = [f"Highlight {record['id']} ({', '.join(marks)})", ""]
    lines += ["    " + line for line in visible(record["text"]).split("\n")]
    lines.append("")
    if record["note"]:
        note = visible(record["note"]).split("\n")
        lines += [f"Note:      {note[0]}", *("           " + line for line in note[1:])]
    source = record["source"]
    fields = [
        ("Source", f"{one_line(source['title'])} (source {source['id']})"),
        ("Author", one_line(source["author"])),
        ("Category", one_line(source["category"])),
        ("URL", one_line(source["url"])),
        ("Chapter", one_line(record["chapter"])),
        ("Location", " ".join(filter(None, (one_line(record["location"]), one_line(record["location_url"]))))),
        ("Tags", ", ".join("#" + one_line(tag) for tag in record["tags"])),
        ("File", f"{one_line(record['file'])}:{record['line']}" if record["file"] else "(in no file now)"),
        ("Key", one_line(record["key"])),
    ]
    lines += [f"{label + ':':<10} {value}" for label, value in fields if value]
    schedule = record["schedule"]
    if schedule["due"]:
        plan = (f"{schedule['repetitions']} repetitions, EF {schedule['easiness']}, interval {schedule['interval']} d,"
                f" due {schedule['due']}")
    else:
        plan = f"new (never reviewed), EF {schedule['easiness']}"
    lines += [f"{'Schedule:':<10} {plan}", ""]
    reviews = record["reviews"]
    if not reviews:
        lines.append("No reviews yet.")
        return lines
    lines.append(f"Reviews ({len(reviews)}); state = repetitions · EF · interval · due")
    header = f"  {'When (UTC)':<19} {'Study day':<10}  Grade  {'Kind':<6}  Before → after"
    lines.append(header)
    for row in reviews:  # the instant to the second (the log keeps microseconds; --json gives them)
        when = row["reviewed_at"][:19].replace("T", " ")
        lines.append(f"  {when:<19} {row['study_day']:<10}  {row['grade']:>5}  {row['kind']:<6}"
                     f"  {_state(row, 'before')} → {_state(row, 'after')}")
    return lines


BUILD_NOTICE_AT = 10_000
"""Highlights from which building the search index takes long enough (about half a second and
up; 12 s for 200,000) to say so."""


def _tell_building(highlights: int) -> None:
    if highlights >= BUILD_NOTICE_AT:
        typer.echo("Building the search index (once)…", err=True)


@app.command("search", context_settings={"ignore_unknown_options": True})  # so that "-word" is searched for
def search_command(
    typed: Annotated[list[str], typer.Argument(help="Words to find (all of them), as typed: quotes, -, * are text.",
                                               metavar="TEXT...")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many.")] = 20,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find highlights whose text, note, or source title or author hold every word given
    (any case, accents ignored), best matches first."""
    from recall.db.search import MATCH_END, MATCH_START, search

    words = " ".join(typed)
    found = search(open_caught_up_engine(db), words, limit, _tell_building)
    if as_json:
        rows = [row | {"snippet": row["snippet"].replace(MATCH_START, "").replace(MATCH_END, "")}
                for row in found.rows]
        typer.echo(json_text({"query": words, "total": found.total, "results": rows}, indent=2))
        return
    if not found.rows:
        typer.echo(f"No highlight matches {one_line(words)!r}.", err=True)
        return
    from rich.console import Console

    from recall.cli.tables import search_lines
    from recall.columns import terminal_width

    console = Console(highlight=False, width=terminal_width())
    for line in search_lines(found.rows, console.width):
        console.print(line, no_wrap=True, overflow="ellipsis", crop=True)
    more = f" (the best {len(found.rows)} shown; --limit shows more)" if found.total > len(found.rows) else ""
    typer.echo(f"{found.total} highlight{'s' if found.total != 1 else ''} match{more}", err=True)
