"""Leaving the app safely: links go to the browser, notes to ``$EDITOR``.

Only http(s) links are ever opened (a ``javascript:`` or ``file:`` link in a
vault must not run anything), and the editor is started with an argument list,
never through a shell, so no path or note can inject a command.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https")

# Editors that take "path:line" instead of "+line path".
_GOTO_FLAG = {"code": "--goto", "code-insiders": "--goto", "codium": "--goto", "cursor": "--goto"}
_COLON_LINE = {"subl", "zed", "hx", "helix"}


def safe_url(url: str | None) -> bool:
    """True for an http(s) URL with a host and no control characters or spaces."""
    if not url or any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.hostname)


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
    return subprocess.run(command, check=False).returncode  # noqa: S603 - an argument list, no shell
