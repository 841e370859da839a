"""The screens talk up only with messages: none reads the app's session, store or state, and none
calls the app's methods (read from the source, so a new screen is checked too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import recall.tui.screens

SCREENS = sorted(Path(recall.tui.screens.__file__).parent.glob("*.py"))
APP_INTERNALS = ("recall.tui.app", "recall.tui.session", "recall.tui.store")
SESSION_NAMES = {
    "session", "store", "loaded", "show_summary", "show_current", "start_extra", "apply", "undo", "tell",
    "open_link", "edit_note", "grade_buttons", "today_count", "live_streak", "tell_if_graded_elsewhere", "recall",
}
"""The app's session and its methods, as the screens once reached them (``app.session``, ``self.recall.apply``)."""
TEXTUAL_APP_API = {"call_from_thread", "post_message"}
"""What a screen may still use of ``self.app``: Textual's own App, never recall's."""


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def imported_modules(tree: ast.Module) -> set[str]:
    """Every module imported, also under ``if TYPE_CHECKING``: ``from recall.tui import app`` counts as recall.tui.app."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def uses_of_app(tree: ast.Module) -> list[str]:
    """Each ``<x>.app`` as written, with the attribute taken from it (``self.app.call_from_thread``)."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "app" and isinstance(node.ctx, ast.Load):
            parent = parents.get(node)
            uses.append(ast.unparse(parent) if isinstance(parent, ast.Attribute) else ast.unparse(node))
    return uses


def test_every_screen_module_is_checked() -> None:
    assert {path.stem for path in SCREENS} >= {"review", "summary", "empty", "stats", "base"}


@pytest.mark.parametrize("path", SCREENS, ids=lambda path: path.stem)
def test_no_screen_imports_the_app_the_session_or_the_store(path: Path) -> None:
    imports = imported_modules(parsed(path))
    assert not {m for m in imports if m.startswith(APP_INTERNALS)}, f"{path.name} imports {sorted(imports)}"


@pytest.mark.parametrize("path", SCREENS, ids=lambda path: path.stem)
def test_no_screen_reads_the_session_or_calls_the_app(path: Path) -> None:
    tree = parsed(path)
    reached = sorted(
        ast.unparse(node) for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr in SESSION_NAMES
    )
    assert reached == [], f"{path.name} reaches into the app: {reached}"
    beyond_textual = [use for use in uses_of_app(tree) if use.rsplit(".", 1)[-1] not in TEXTUAL_APP_API]
    assert beyond_textual == [], f"{path.name} uses the app directly: {beyond_textual}"


def test_the_check_sees_the_old_way() -> None:
    """The old review screen's calls are caught: the checks above are not vacuous."""
    old = ast.parse(
        "class ReviewScreen:\n"
        "    def action_grade(self):\n"
        "        app: RecallApp = self.app\n"
        "        session, store = app.session, app.store\n"
        "        self.recall.apply(lambda s: s.grade(4, None))\n"
        "        app.show_summary()\n"
    )
    reached = {node.attr for node in ast.walk(old) if isinstance(node, ast.Attribute) and node.attr in SESSION_NAMES}
    assert reached == {"session", "store", "recall", "apply", "show_summary"}
    assert uses_of_app(old) == ["self.app"]
    assert imported_modules(ast.parse("if TYPE_CHECKING:\n    from recall.tui.app import RecallApp\n")) >= {"recall.tui.app"}
