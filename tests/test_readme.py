"""The README's set-up commands are the ones CI runs."""

from __future__ import annotations

import re

from support import REPO


def test_readme_opens_with_the_commands_ci_runs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    test_command = re.search(r'^TEST_COMMAND="(.*)"$', ci, re.MULTILINE).group(1)
    commands = [line.strip() for line in readme.splitlines() if line.startswith("    python3 -m venv")]
    assert commands[1] == test_command
    assert "sample_vault" in commands[0]
    assert commands[0].count("--db /tmp/recall-demo.db") == 2  # the demo never reaches the user's database
    assert readme.index(commands[0]) < readme.index("## Usage")
