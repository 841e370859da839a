"""Leaving the app safely: links go to the browser, notes to ``$EDITOR``.

Only http(s) links are ever opened (a ``javascript:`` or ``file:`` link in a
vault must not run anything), and the editor is started with an argument list,
never through a shell, so no path or note can inject a command.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import webbrowser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from recall.text import BIDI_CONTROLS, C1_CONTROLS, INVISIBLES, visible

SAFE_SCHEMES = ("http", "https")
_CODE_POINT = re.compile(r"<U\+([0-9A-F]{4,6})>")

# Editors that take "path:line" instead of "+line path".
_GOTO_FLAG = {"code": "--goto", "code-insiders": "--goto", "codium": "--goto", "cursor": "--goto"}
_COLON_LINE = {"subl", "zed", "hx", "helix"}


def url_refusal(url: str | None) -> str | None:
    """Why ``url`` will not be opened, completing "Not opening this link: …", or None when it is safe.

    Safe: an http(s) URL with a host, without control, bidi or invisible characters
    or spaces. The reasons: "there is none", "it contains a control character",
    "it contains an invisible character (<U+202E>)", "it contains a space", "it
    cannot be read as a URL", "it is not http or https (javascript:)", "it has no host".
    """
    if not url:
        return "there is none"
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in url):
        return "it contains a control character"
    if hidden := [c for c in url if ord(c) in BIDI_CONTROLS or ord(c) in INVISIBLES]:
        return f"it contains an invisible character ({visible(hidden[0])})"
    if any(c.isspace() for c in url):
        return "it contains a space"
    if shown := _made_visible(unquote(url)):  # a link in a highlight's text is read after recall.text.visible
        return shown
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "it cannot be read as a URL"
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return f"it is not http or https ({parts.scheme.lower() + ':' if parts.scheme else 'no scheme'})"
    if not host:
        return "it has no host"
    return None


def _made_visible(url: str) -> str | None:
    """The refusal for a URL that held a character ``visible`` replaced: a control picture (␛) or a code point
    (<U+202E>), which Markdown then wrote percent-encoded into the link."""
    if any(0x2400 <= ord(c) <= 0x2421 for c in url):
        return "it contains a control character"
    if point := _CODE_POINT.search(url):
        if int(point.group(1), 16) in C1_CONTROLS:
            return "it contains a control character"
        return f"it contains an invisible character ({point.group()})"
    return None


def safe_url(url: str | None) -> bool:
    """True for a URL ``url_refusal`` has nothing against."""
    return url_refusal(url) is None


def open_in_browser(url: str, *, new_tab: bool = True) -> bool:
    """Hand ``url`` to the browser ``webbrowser`` finds (``$BROWSER`` first); False when there is none."""
    try:
        return bool(webbrowser.open(url, new=2 if new_tab else 0))
    except webbrowser.Error:
        return False


def editor_from_env(environ: dict[str, str] | None = None) -> list[str] | None:
    """``$EDITOR`` (else ``$VISUAL``) split like a shell would, or None if unset or unparsable."""
    env = os.environ if environ is None else environ
    value = (env.get("EDITOR") or env.get("VISUAL") or "").strip()
    if not value:
        return None
    try:
        words = shlex.split(value)
    except ValueError:
        return None
    return words or None


def editor_command(editor: list[str], path: Path, line: int | None) -> list[str]:
    """The argument list that opens ``path`` at ``line`` in ``editor``."""
    name = Path(editor[0]).name
    if not line or line < 1:
        return [*editor, str(path)]
    if name in _GOTO_FLAG:
        return [*editor, _GOTO_FLAG[name], f"{path}:{line}"]
    if name in _COLON_LINE:
        return [*editor, f"{path}:{line}"]
    return [*editor, f"+{line}", str(path)]  # vi, vim, nvim, nano, emacs, micro, kak, ...


def run_editor(command: list[str]) -> int:
    """Run the editor in the foreground and wait for it; its exit status."""
    return subprocess.run(command, check=False).returncode
