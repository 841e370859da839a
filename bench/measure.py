"""recall's benchmark: every figure beside the reference it is judged against,
measured in the same run (this machine is noisy, so ratios are what count).

    .venv/bin/python bench/measure.py            # 1,000- and 10,000-note vaults (~3 min)
    .venv/bin/python bench/measure.py --quick    # 1,000 notes only (~40 s)

Vaults come from ../shared/tools/make_vault.py and are kept in bench/.work/ for
the next run. Each figure is the median of ``--runs`` runs, as separate processes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work"
MAKE_VAULT = REPO.parent / "shared" / "tools" / "make_vault.py"
PYTHON = sys.executable
NOW = "2026-03-02T09:30:00+00:00"

sys.path.insert(0, str(BENCH))
from review_startup import run_review  # noqa: E402


def wall(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Seconds a command takes, and its peak memory (KB), as a child process."""
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *argv] if Path("/usr/bin/time").exists() else argv,
        env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    lines = result.stderr.strip().splitlines()
    peak = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    return elapsed, peak


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def vault(notes: int) -> Path:
    """A generated vault of ``notes`` notes (made once, then reused)."""
    target = WORK / f"vault-{notes}"
    if not (target / "MANIFEST.json").exists():
        if not MAKE_VAULT.exists():
            raise SystemExit(f"{MAKE_VAULT} not found: the benchmark needs ../shared/tools/make_vault.py")
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run([PYTHON, str(MAKE_VAULT), str(target), "--notes", str(notes), "--seed", "1"], check=True,
                       capture_output=True)  # fmt: skip
    return target


def recall(*args: str) -> list[str]:
    return [PYTHON, "-m", "recall", *args]


def files_of(root: Path) -> list[str]:
    return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".md")]


def add_a_year_of_reviews(db: Path) -> None:
    """365 study days of ~100 reviews, and schedules spread over the next two months."""
    with sqlite3.connect(db) as connection:
        count = connection.execute("SELECT max(id) FROM highlights").fetchone()[0]
        connection.execute(
            "UPDATE highlights SET repetitions = 3, easiness = 250, interval = 15,"
            " due = date('2026-03-02', '+' || ((id % 70) - 10) || ' days') WHERE id % 4 <> 0"
        )
        connection.execute(
            f"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 36499)
            INSERT INTO reviews (highlight_id, reviewed_at, study_day, grade, kind, seconds, repetitions_before,
                easiness_before, interval_before, due_before, repetitions_after, easiness_after, interval_after)
            SELECT (i * 7919) % {count} + 1, '2025-03-02 10:00:00.000000', date('2025-03-02', '+' || (i / 100) || ' days'),
                   CASE WHEN i % 9 = 0 THEN 2 ELSE 4 END, 'review', 8.0, 2, 250, 6,
                   CASE WHEN i % 10 = 0 THEN NULL ELSE '2025-03-01' END, 3, 250, 15
            FROM n
            """
        )


def measure(notes: int, runs: int, rows: list[tuple[str, str, str, str]]) -> None:
    root = vault(notes)
    paths = files_of(root)
    env = {"RECALL_NOW": NOW, "RECALL_HOME": str(WORK / "home")}
    with tempfile.TemporaryDirectory(dir=WORK) as scratch:
        scratch_dir = Path(scratch)
        cat = median_of(runs, lambda: wall(["sh", "-c", f"find '{root}' -name '*.md' -print0 | xargs -0 cat > /dev/null"])[0])
        stat_every_file = "import os, sys\nfor d, _, fs in os.walk(sys.argv[1]):\n    for f in fs: os.stat(os.path.join(d, f))"
        stat = median_of(runs, lambda: wall([PYTHON, "-c", stat_every_file, str(root)])[0])
        floor = median_of(runs, lambda: wall([PYTHON, "-c", "import sqlmodel, typer"])[0])
        baseline = median_of(runs, lambda: wall([PYTHON, str(BENCH / "plain_baseline.py"), str(root),
                                                 str(scratch_dir / "plain.db")])[0])  # fmt: skip

        def first_import() -> float:
            target = scratch_dir / "first.db"
            for leftover in scratch_dir.glob("first.db*"):
                leftover.unlink()
            seconds, peak = wall(recall("import", str(root), "--db", str(target)), env)
            first_import.peak = max(getattr(first_import, "peak", 0), peak)  # type: ignore[attr-defined]
            return seconds

        full = median_of(runs, first_import)
        db = scratch_dir / "first.db"
        noop = median_of(runs, lambda: wall(recall("import", str(root), "--db", str(db)), env)[0])

        synced = scratch_dir / "resync"
        shutil.copytree(root, synced, symlinks=True)
        subprocess.run(recall("import", str(synced), "--db", str(scratch_dir / "resync.db")), env={**os.environ, **env},
                       check=True, capture_output=True)  # fmt: skip
        subprocess.run([PYTHON, str(MAKE_VAULT), str(synced), "--mutate"], check=True, capture_output=True)
        change = json.loads((synced / "MANIFEST.json").read_text())["mutations"][-1]
        share = (len(change["changed_files"]) + len(change["added_files"])) / (len(paths) + len(change["added_files"]))
        resync = wall(recall("import", str(synced), "--db", str(scratch_dir / "resync.db")), env)[0]

        reviewed = scratch_dir / "reviewed.db"
        shutil.copy(db, reviewed)
        add_a_year_of_reviews(reviewed)
        due = median_of(runs, lambda: wall(recall("due", "--db", str(reviewed)), env)[0])
        stats = median_of(runs, lambda: wall(recall("stats", "--db", str(reviewed)), env)[0])
        bare = median_of(runs, lambda: run_review(reviewed, command=[PYTHON, str(BENCH / "bare_textual.py")])["wall_ms"] / 1000)
        card = median_of(runs, lambda: run_review(reviewed)["wall_ms"] / 1000)
        with sqlite3.connect(db) as connection:
            highlights = connection.execute("SELECT count(*) FROM highlights").fetchone()[0]

    label = f"{notes:,} notes, {highlights:,} highlights"
    rows += [
        (label, "plain baseline: walk, read, split, executemany", f"{baseline:.2f} s", "reference"),
        (label, "read every file (`cat`) / stat every file", f"{cat:.2f} s / {stat:.2f} s", "floors"),
        (label, "stack floor: `python -c 'import sqlmodel, typer'`", f"{floor:.2f} s", "reference"),
        (label, "`recall import`, first import", f"{full:.2f} s",
         f"{full / baseline:.2f} × baseline (goal ≤ 1.5); peak {first_import.peak / 1024:.0f} MB (goal < 300)"),  # type: ignore[attr-defined]
        (label, "`recall import`, nothing changed", f"{noop:.2f} s",
         f"{noop / (floor + stat):.2f} × (stack floor + stat) (goal ≤ 1.5)"),
        (label, f"`recall import` after a re-sync ({share:.0%} of files changed)", f"{resync:.2f} s",
         f"{resync / (full * share + noop):.2f} × (full × share + no-op) (goal ≤ 1.5)"),
        (label, "`recall due` (a year of reviews)", f"{due:.2f} s", f"{due / floor:.2f} × stack floor (goal ≤ 1.5)"),
        (label, "`recall stats` (a year of reviews)", f"{stats:.2f} s", f"{stats / floor:.2f} × stack floor (goal ≤ 1.5)"),
        (label, "`recall review`, first card on screen", f"{card:.2f} s",
         f"{card / (bare + floor):.2f} × (bare Textual first paint {bare:.2f} s + stack floor) (goal ≤ 1.3); "
         f"{card / bare:.2f} × bare first paint (stretch ≤ 1.5)"),
    ]  # fmt: skip


def start_up(runs: int, rows: list[tuple[str, str, str, str]]) -> None:
    nothing = median_of(runs, lambda: wall([PYTHON, "-c", "pass"])[0])
    for flag in ("--version", "--help"):
        seconds = median_of(runs, lambda: wall(recall(flag))[0])
        probe = subprocess.run(
            [PYTHON, "-c", f"import sys\nfrom recall.cli import app\ntry: app(['{flag}'])\nexcept SystemExit: pass\n"
             "print(sorted(m for m in ('textual', 'sqlmodel', 'sqlalchemy') if m in sys.modules), file=sys.stderr)"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        rows.append(("start-up", f"`recall {flag}`", f"{seconds:.2f} s",
                     f"{seconds / nothing:.1f} × `python -c pass`; heavy modules loaded: "
                     f"{probe.stderr.strip().splitlines()[-1]}"))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only the 1,000-note vault")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median is reported)")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    rows: list[tuple[str, str, str, str]] = []
    start_up(args.runs, rows)
    for notes in (1_000,) if args.quick else (1_000, 10_000):
        measure(notes, args.runs, rows)
    print("| vault | what | time | ratio |\n| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
