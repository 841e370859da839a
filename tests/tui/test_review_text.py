"""Strange text shows literally; links and the editor are opened safely, with exact arguments."""

from __future__ import annotations

import contextlib
import webbrowser

import pytest
from review_support import make_app, ready, screen_text, seed

from recall.tui import external
from recall.tui.text import visible
from recall.tui.widgets.card import HighlightCard

HOSTILE = "[bold]x[/bold] [/] [link=https://e.com]y[/link] \x1b[31mred\x1b[0m 漢字 עברית 👍"
SHOWN = "[bold]x[/bold] [/] [link=https://e.com]y[/link] ␛[31mred␛[0m 漢字 עברית 👍"


def hostile_notes() -> list[dict]:
    return [
        {
            "title": "[red]Title[/red] \x1b]0;pwned\x07 [@click=app.quit]q[/]",
            "author": "[i]Au[/i]thor",
            "category": "books",
            "file": "Books/Hostile.md",
            "highlights": [
                {
                    "text": HOSTILE,
                    "note": "note [b]kept[/b] \x1b[2J <b>tag</b>",
                    "tags": ["[blink]t[/blink]"],
                    "location": "Location [1]",
                    "location_url": "javascript:alert(1)",
                    "chapter": "Chapter \x1b[1m1",
                    "line": 7,
                },
                {"text": "**bold** and _italic_ and [a link](https://example.com/x) and <b>raw html</b>"},
            ],
        }
    ]


def test_visible_makes_every_control_character_harmless() -> None:
    assert visible("a\x1b[31mb\x07\x00\x7f\x9bc\r\nd\re\tf") == "a␛[31mb␇␀␡<U+009B>c\nd\ne\tf"


async def test_markup_and_escape_sequences_show_exactly_as_written(engine, tmp_path) -> None:
    seed(engine, tmp_path, hostile_notes())
    app = make_app(engine, new_per_day=5)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        text = screen_text(app)
        lines = text.splitlines()
        assert any(line.strip().strip("│").strip() == SHOWN for line in lines)
        assert "[red]Title[/red] ␛]0;pwned␇ [@click=app.quit]q[/]" in text
        assert "[i]Au[/i]thor · books" in text
        assert "Chapter ␛[1m1 · Location [1]" in text
        assert "Note\u00a0\u00a0note [b]kept[/b] ␛[2J <b>tag</b>" in text  # the note is Markdown too, HTML off
        assert "#[blink]t[/blink]" in text
        assert "\x1b" not in text and "\x07" not in text
        card = app.screen.query_one(HighlightCard)
        assert card.query_one("#card-title").render().plain.startswith("[red]Title[/red]")
        await pilot.click("#card-title")  # the [@click=app.quit] in the title is text, not an action
        await pilot.press("4")
        assert app.is_running
        text = screen_text(app)
        assert "bold and italic and a link and <b>raw html</b>" in text  # Markdown rendered, HTML shown


async def test_o_opens_only_http_links(engine, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(engine, tmp_path, [
        {"title": "Book", "url": "https://example.com/book", "highlights": [
            {"text": "one", "location": "Location 5", "location_url": "https://read.example.com/open/5?a=1&b=2"},
            {"text": "two", "location_url": "javascript:alert(1)"},
            {"text": "three", "location_url": "file:///etc/passwd"},
        ]},
    ])
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = make_app(engine, new_per_day=5, drills=False)
    notes: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
        for _ in range(3):
            await pilot.press("o")
            await pilot.press("5")
        await pilot.pause()
    assert opened == ["https://read.example.com/open/5?a=1&b=2"]
    assert any("javascript:" in note for note in notes)
    assert any("file:" in note for note in notes)


async def test_o_says_why_a_link_is_not_opened(engine, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    refused = {
        "javascript:alert(1)": "it is not http or https (javascript:)",
        "https://": "it has no host",
        "https://e.com/\x1b[31m": "it contains a control character",
        "https://exa mple.com/x": "it contains a space",
        "https://e.com/\u202etxt.exe": "it contains an invisible character (<U+202E>)",
        "read.example.com/open/5": "it is not http or https (no scheme)",
    }
    seed(engine, tmp_path, [
        {"title": "Book", "highlights": [{"text": f"h{n}", "location_url": url} for n, url in enumerate(refused)]},
    ])
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: pytest.fail(f"opened {url!r}"))
    app = make_app(engine, new_per_day=10, drills=False)
    notes: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
        for _ in refused:
            await pilot.press("o")
            await pilot.press("5")
        await pilot.pause()
    assert sorted(notes) == sorted(f"Not opening this link: {reason}." for reason in refused.values())


async def test_bidi_and_invisible_characters_show_as_code_points(engine, tmp_path) -> None:
    seed(engine, tmp_path, [
        {"title": "Title \u202eevil\u202c end", "author": "A\u200bB", "highlights": [
            {"text": "text \u2066x\u2069 and\ufeffy; joiners stay: \u0646\u0645\u200c\u06cc", "note": "n\u200fo"},
        ]},
    ])
    app = make_app(engine, new_per_day=5)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        text = screen_text(app)
    assert "Title <U+202E>evil<U+202C> end" in text
    assert "A<U+200B>B" in text
    assert "text <U+2066>x<U+2069> and<U+FEFF>y; joiners stay: \u0646\u0645\u200c\u06cc" in text
    assert "n<U+200F>o" in text


def test_safe_url() -> None:
    assert external.safe_url("https://example.com/a?b=c")
    assert external.safe_url("HTTP://example.com")
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "https://", "https://exa mple.com", "data:text/html,x",
                "https://e.com/\x1b[31m", None, "", "https://e.com/%E2%90%9B[31m", "https://e.com/%3CU+202E%3Ex"):
        assert not external.safe_url(bad), bad
    # a link in a highlight's text reaches the app after recall.text.visible, percent-encoded by Markdown
    assert external.url_refusal("https://e.com/%3CU+202E%3Ex") == "it contains an invisible character (<U+202E>)"
    assert external.url_refusal("https://e.com/%3CU+009B%3Ex") == "it contains a control character"


async def test_e_opens_the_note_at_the_highlight_line(engine, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = tmp_path / "my vault"
    (vault / "Books").mkdir(parents=True)
    (vault / "Books" / "A Book; rm -rf ~.md").write_text("# A Book\n", encoding="utf-8")
    seed(engine, vault, [
        {"title": "A Book", "file": "Books/A Book; rm -rf ~.md", "highlights": [{"text": "hello", "line": 12}]},
    ])
    calls: list[tuple] = []

    def fake_run(args, **kwargs):
        calls.append((args, kwargs))
        return type("Done", (), {"returncode": 0})()

    monkeypatch.setattr(external.subprocess, "run", fake_run)
    monkeypatch.setenv("EDITOR", "nvim -u 'NONE'")
    app = make_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        monkeypatch.setattr(app, "suspend", lambda: contextlib.nullcontext())
        await pilot.press("e")
    assert calls == [(["nvim", "-u", "NONE", "+12", str(vault / "Books" / "A Book; rm -rf ~.md")], {"check": False})]


async def test_e_without_an_editor_says_how_to_set_one(engine, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "note0.md").write_text("x", encoding="utf-8")
    seed(engine, tmp_path, [{"title": "A Book", "highlights": [{"text": "hello"}]}])
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(engine)
    notes: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
        await pilot.press("e")
    assert notes == ["Set $EDITOR to open notes, e.g. export EDITOR=vim"]


def test_editor_commands() -> None:
    from pathlib import Path

    path = Path("/v/n.md")
    assert external.editor_command(["vim"], path, 3) == ["vim", "+3", "/v/n.md"]
    assert external.editor_command(["code", "--wait"], path, 3) == ["code", "--wait", "--goto", "/v/n.md:3"]
    assert external.editor_command(["/usr/bin/subl"], path, 3) == ["/usr/bin/subl", "/v/n.md:3"]
    assert external.editor_command(["nano"], path, None) == ["nano", "/v/n.md"]
    assert external.editor_from_env({"EDITOR": "emacs -nw"}) == ["emacs", "-nw"]
    assert external.editor_from_env({"EDITOR": "", "VISUAL": "vi"}) == ["vi"]
    assert external.editor_from_env({"EDITOR": "'unterminated"}) is None
