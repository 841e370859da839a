"""No terminal escape from the vault reaches the terminal, whatever the command.

A vault whose titles, authors, categories, tags, notes, highlight text, file and
folder names hold OSC 8 links, screen clears, C1 controls, bidi overrides and
zero width spaces goes through every command, run as the real `recall` in a
subprocess: no ESC, no C1 control and no bidi or invisible character appears
in what it prints (text or JSON; JSON escapes them and stays exact), and the
same text shows up made visible (`␛[2J`, `<U+202E>`). CSV is data: exact in a
pipe, made visible on a terminal.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

HOSTILE = "\x1b]8;;http://evil\x07click\x1b]8;;\x07 \x1b[2J \x9b31m \u202eevil\u202c \u200bzw"
IN_NAMES = "\x1b[2J \x9b31m \u202eN\u200b \x1b]0;t\x07"  # a file name holds anything but "/"
KINDLE = "([Location {n}](https://readwise.io/to_kindle?action=open&asin=B0&location={n}))"
NOTE = f"""# Title {HOSTILE}

## Metadata
- Author: Author {HOSTILE}
- Full Title: Title {HOSTILE}
- Category: #books\x1b[1m

## Highlights
- First {HOSTILE} {KINDLE.format(n=12)}
    - Note: note {HOSTILE}
    - Tags: #tag\x1b[5m
| a table row recall does not read {HOSTILE} |
- Second {HOSTILE} {KINDLE.format(n=40)}
"""
FORBIDDEN = {
    0x1B, *range(0x80, 0xA0),  # ESC, C1 controls
    0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),  # bidi controls
    0x200B, 0x2060, 0xFEFF,  # invisible: zero width space, word joiner, zero width no-break space
}


def raw_escapes(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in text if ord(c) in FORBIDDEN})


def recall(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recall", *args, "--db", str(db)], capture_output=True,
                          text=True, check=False, env={**os.environ, "COLUMNS": "250"})  # tables on one line


@pytest.fixture
def hostile_vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault" / "Readwise" / f"Books {IN_NAMES}"
    folder.mkdir(parents=True)
    (folder / f"Note {IN_NAMES}.md").write_text(NOTE, encoding="utf-8")
    return tmp_path / "vault"


def test_no_command_prints_a_raw_escape(hostile_vault: Path, tmp_path: Path) -> None:
    db = tmp_path / "recall.db"
    note = next(hostile_vault.rglob("*.md"))
    runs = {
        "import": recall("import", str(hostile_vault), db=db),
        "import --json": recall("import", str(hostile_vault), "--json", db=db),
        "import --explain": recall("import", "--explain", str(note), db=db),
        "import --explain --json": recall("import", "--explain", str(note), "--json", db=db),
        "sources": recall("sources", db=db),
        "sources --json": recall("sources", "--json", db=db),
        "due": recall("due", db=db),
        "due --json": recall("due", "--json", db=db),
        "rate": recall("rate", "1", "4", db=db),
        "rate --json": recall("rate", "2", "0", "--json", db=db),
        "skip": recall("skip", "2", db=db),
        "favorite": recall("favorite", "1", db=db),
        "discard": recall("discard", "1", db=db),
        "rate a discarded one": recall("rate", "1", "4", db=db),
        "restore": recall("restore", "1", db=db),
        "undo": recall("undo", db=db),
        "show": recall("show", "1", db=db),
        "show --json": recall("show", "1", "--json", db=db),
        "search": recall("search", "First", db=db),
        "search --json": recall("search", "First", "--json", db=db),
        "search nothing": recall("search", f"zebra {HOSTILE}", db=db),
        "export reviews": recall("export", "reviews", "-f", "jsonl", db=db),
        "stats": recall("stats", db=db),
        "stats --json": recall("stats", "--json", db=db),
        "export highlights": recall("export", "highlights", db=db),
        "export highlights -f json": recall("export", "highlights", "-f", "json", db=db),
        "export stats": recall("export", "stats", "-f", "json", db=db),
        "db status": recall("db", "status", db=db),
        "db status --json": recall("db", "status", "--json", db=db),
        "vault not found": recall("import", str(hostile_vault / IN_NAMES), db=db),
        "note not found": recall("import", "--explain", str(hostile_vault / f"{IN_NAMES}.md"), db=db),
    }
    assert runs["import"].returncode == 3 and runs["rate a discarded one"].returncode == 5
    assert runs["vault not found"].returncode == 1 and runs["note not found"].returncode == 2
    for name, run in runs.items():
        assert raw_escapes(run.stdout) == [], (name, run.stdout)
        assert raw_escapes(run.stderr) == [], (name, run.stderr)
    shown = {name: run.stdout + run.stderr for name, run in runs.items()}
    assert "␛[2J <U+009B>31m <U+202E>N<U+200B> ␛]0;t␇" in shown["import"]  # the file name, in the warning
    for name in ("sources", "due", "stats", "import --explain", "show", "search"):
        assert "Title ␛]8;;http://evil␇click" in shown[name], name
    assert "Title ␛]8;;http://evil␇click" in shown["stats"]
    assert "<U+202E>N<U+200B>" in shown["vault not found"] and "<U+202E>N<U+200B>" in shown["note not found"]
    exported = [json.loads(line) for line in runs["export highlights"].stdout.splitlines()]
    assert exported[0]["text"] == f"First {HOSTILE}"  # JSON is data: exact once decoded
    assert exported[0]["file"].startswith(f"Readwise/Books {IN_NAMES}/")
    assert json.loads(runs["sources --json"].stdout)[0]["title"] == f"Title {HOSTILE}"
    assert json.loads(runs["show --json"].stdout)["note"] == f"note {HOSTILE}"
    assert json.loads(runs["search --json"].stdout)["results"][0]["text"] == f"First {HOSTILE}"
    assert "First ␛]8;;http://evil␇click" in shown["show"] and "note ␛]8;;http://evil␇click" in shown["show"]
    assert "No highlight matches" in shown["search nothing"] and "<U+202E>evil" in shown["search nothing"]
    assert "rate" in runs and json.loads(runs["export reviews"].stdout.splitlines()[0])["highlight_id"] == 1


def test_csv_is_exact_in_a_pipe_and_visible_on_a_terminal(hostile_vault: Path, tmp_path: Path) -> None:
    db = tmp_path / "recall.db"
    recall("import", str(hostile_vault), db=db)
    piped = recall("export", "highlights", "-f", "csv", db=db)
    rows = list(csv.DictReader(io.StringIO(piped.stdout)))
    assert rows[0]["text"] == f"First {HOSTILE}"
    parent, child = pty.openpty()
    with os.fdopen(parent, "rb") as screen:
        result = subprocess.run([sys.executable, "-m", "recall", "export", "highlights", "-f", "csv", "--db", str(db)],
                                stdout=child, stderr=subprocess.PIPE, check=False, env=dict(os.environ))
        os.close(child)
        printed = _read_all(screen).decode("utf-8")
    assert result.returncode == 0
    assert raw_escapes(printed) == []
    assert "First ␛]8;;http://evil␇click␛]8;;␇ ␛[2J <U+009B>31m <U+202E>evil<U+202C> <U+200B>zw" in printed


def test_usage_errors_show_what_was_typed_visibly(tmp_path: Path) -> None:
    db = tmp_path / "recall.db"
    for args in (["undo", HOSTILE], ["due", f"--x{HOSTILE}"], [f"sync{HOSTILE}"]):
        result = recall(*args, db=db)
        assert result.returncode == 2, (args, result.stderr)
        assert raw_escapes(result.stderr) == [], args
        assert ("<U+202E>" in result.stderr or "\\u202e" in result.stderr) and "Traceback" not in result.stderr


def test_paths_are_exact_in_a_pipe_and_visible_on_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / IN_NAMES / "recall.db"
    assert recall("db", "path", db=db).stdout == f"{db}\n"  # as it is, for $(recall db path)
    parent, child = pty.openpty()
    with os.fdopen(parent, "rb") as screen:
        result = subprocess.run([sys.executable, "-m", "recall", "db", "path", "--db", str(db)], stdout=child,
                                stderr=subprocess.PIPE, check=False, env=dict(os.environ))
        os.close(child)
        printed = _read_all(screen).decode("utf-8")
    assert result.returncode == 0
    assert raw_escapes(printed) == [] and "␛[2J <U+009B>31m <U+202E>N<U+200B>" in printed


def _read_all(screen: io.BufferedReader) -> bytes:
    """Everything written to the terminal (a pty reports EIO once the writer has gone)."""
    chunks = []
    while True:
        try:
            chunk = os.read(screen.fileno(), 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)
