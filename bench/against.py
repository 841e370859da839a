"""The first import and the parser alone, against an earlier revision of recall, in
the same run: did a change make importing slower?

    .venv/bin/python bench/against.py REV            # 1,000-note vault, 5 rounds
    .venv/bin/python bench/against.py REV --notes 10000 --runs 3

REV (a commit, tag or branch) is checked out with ``git worktree`` into
bench/.work/rev-<sha>/ and run from there with this venv's packages (PYTHONPATH), so
only recall's own code differs. Samples of the two alternate, round by round, as
separate processes; the table reports medians and this revision's ratio to REV.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

from run import PYTHON, REPO, WORK, child_env, compile_bytecode, log, remove_db, timed, vault

PARSE_ONLY = """
import sys, time
from pathlib import Path
from recall.importer.parse import NotAHighlightNote, decode, parse_note
files = sorted(Path(sys.argv[1]).rglob("*.md"))
started = time.perf_counter()
for path in files:
    text, _ = decode(path.read_bytes())
    try:
        parse_note(text, str(path.relative_to(sys.argv[1])))
    except NotAHighlightNote:
        pass
print(time.perf_counter() - started)
"""


def worktree(rev: str) -> Path:
    """A checkout of ``rev`` under bench/.work, made once. (Children run in a scratch
    folder: the working directory comes first on sys.path, before PYTHONPATH.)"""
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev], capture_output=True, text=True, check=True)
    target = WORK / f"rev-{sha.stdout.strip()}"
    if not target.is_dir():
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(target), rev], check=True, capture_output=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the earlier revision to compare against")
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    notes = vault(args.notes)
    trees = {"this revision": REPO, args.rev: worktree(args.rev)}
    for tree in trees.values():
        compile_bytecode(tree)
    scratch = WORK / f"against-{os.getpid()}"
    scratch.mkdir()
    samples: dict[tuple[str, str], list[float]] = {}
    for round_number in range(args.runs):
        log(f"round {round_number + 1} of {args.runs}")
        for name, tree in trees.items():
            env = child_env(scratch, PYTHONPATH=str(tree))
            db = scratch / "r.db"
            remove_db(db)
            run = timed([PYTHON, "-m", "recall", "import", str(notes), "--db", str(db)], env, ok=(0, 3), cwd=scratch)
            samples.setdefault(("first import", name), []).append(run.seconds)
            parsed = timed([PYTHON, "-c", PARSE_ONLY, str(notes)], env, cwd=scratch)
            samples.setdefault(("parse every note (in one process)", name), []).append(float(parsed.stdout))
    remove_db(scratch / "r.db")
    scratch.rmdir()
    print(f"recall against {args.rev}: {args.notes:,}-note vault, {args.runs} interleaved rounds, medians (min–max)\n")
    print(f"| figure | this revision | {args.rev} | ratio |")
    print("| --- | --- | --- | --- |")
    for figure in ("first import", "parse every note (in one process)"):
        mine, theirs = samples[(figure, "this revision")], samples[(figure, args.rev)]
        print(
            f"| {figure} | {statistics.median(mine):.2f} s ({min(mine):.2f}–{max(mine):.2f}) "
            f"| {statistics.median(theirs):.2f} s ({min(theirs):.2f}–{max(theirs):.2f}) "
            f"| {statistics.median(mine) / statistics.median(theirs):.2f} × |"
        )


if __name__ == "__main__":
    sys.exit(main())
