"""Every import case passes: the shared real-world shapes (../shared/cases/import) and
recall's own variants of them (tests/cases/import), each checked end to end by the
shared ``check_cases.py`` against the installed ``recall`` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, SHARED, needs_shared

CHECKER = SHARED / "tools" / "check_cases.py"
RECALL = Path(sys.executable).parent / "recall"
CASE_FOLDERS = (SHARED / "cases" / "import", REPO / "tests" / "cases" / "import")


def cases() -> list[Path]:
    return sorted(c for folder in CASE_FOLDERS if folder.is_dir() for c in folder.iterdir() if (c / "expected.json").is_file())


@needs_shared
@pytest.mark.parametrize("case", cases(), ids=lambda case: f"{case.parent.parent.parent.name}/{case.name}")
def test_import_case(case: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(CHECKER), str(RECALL), str(case), "--verbose"], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_recalls_own_cases_are_found() -> None:
    assert len([c for c in cases() if c.is_relative_to(REPO)]) >= 4
