"""recall's benchmark: every figure beside the reference it is judged against, measured
side by side in the same run (the machine is noisy: the ratios are what count).

    .venv/bin/python bench/run.py            # 1,000- and 10,000-note vaults (~7 min on 2 cores)
    .venv/bin/python bench/run.py --quick    # 1,000 notes only (~2 min)
    .venv/bin/python bench/run.py --runs 5   # more rounds (the median is reported)

Vaults come from ../shared/tools/make_vault.py (next to the repository) and are kept in
bench/.work/vault-N/ for later runs; scratch databases go to bench/.work/run-PID/ and are
removed at the end (--keep keeps them). Each figure is the median of its samples; samples
of a figure and of its reference are taken in interleaved rounds, as separate processes,
so a burst of noise hits both. The Markdown table goes to stdout (and to
bench/.work/last-run.md, with the raw samples in last-run.json); progress goes to stderr.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import pty
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work"
SHARED = REPO.parent / "shared"
MAKE_VAULT = SHARED / "tools" / "make_vault.py"
VAULT_SEED, VAULT_MEAN = 1, 20.0  # make_vault.py's defaults, written out so a cached vault can be checked
PYTHON = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv" / "bin" / "python").exists() else sys.executable
RECALL = (
    [str(REPO / ".venv" / "bin" / "recall")] if (REPO / ".venv" / "bin" / "recall").exists() else [PYTHON, "-m", "recall"]
)
GNU_TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
TODAY = date(2026, 3, 2)
NOW = "2026-03-02T09:30:00+00:00"  # RECALL_NOW for due / stats / review: the day after the simulated year
TERMINAL = (100, 30)

sys.path.insert(0, str(BENCH))


def compile_bytecode(tree: Path) -> None:
    """Write the bytecode of ``tree/recall`` as an installation does. The installed packages
    (the stack floor's) have theirs; recall's own modules would otherwise be compiled from source
    in every process where ``PYTHONDONTWRITEBYTECODE`` is set (as on the machines we run on), a
    cost no installed recall pays."""
    import compileall

    compileall.compile_dir(str(tree / "recall"), quiet=1)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- running things -------------------------------------------------------------------


class Failed(Exception):
    """A measured command failed; the table says so instead of a figure."""


@dataclass
class Run:
    seconds: float
    stdout: str = ""
    stderr: str = ""
    peak_kb: int = 0  # max RSS of the largest process in the tree (GNU time %M), 0 if unknown


def child_env(scratch: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECALL_", "TEXTUAL"))}
    env.update(RECALL_HOME=str(scratch / "home"), RECALL_NOW=NOW, **extra)
    return env


def timed(argv: list[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,), memory: bool = False,
          cwd: Path | None = None) -> Run:
    """Wall time of ``argv`` as a child process (and its peak memory with ``memory``)."""
    mem_file = None
    if memory and GNU_TIME:
        mem_file = WORK / f".time-{os.getpid()}"
        argv = [GNU_TIME, "-f", "%M", "-o", str(mem_file), *argv]
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode not in ok:
        tail = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise Failed(f"exit {result.returncode}: {tail[:200]}")
    peak = 0
    if mem_file is not None:
        try:
            peak = int(mem_file.read_text().split()[-1])
        except (OSError, ValueError, IndexError):
            peak = 0
        mem_file.unlink(missing_ok=True)
    elif memory:  # no GNU time: the largest child waited for so far (monotonic, so only a bound)
        import resource

        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Run(seconds, result.stdout, result.stderr, peak)


def tree_pss_peak(argv: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Run ``argv`` while sampling the summed PSS of its whole process tree (workers
    included) every 50 ms; (seconds, peak KB). Linux only; used on an untimed run."""
    peak = 0
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.perf_counter()

    def tree() -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as stat:
                        ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
        found, todo = [], [process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, []))
        return found

    while process.poll() is None:
        total = 0
        for pid in tree():
            try:
                with open(f"/proc/{pid}/smaps_rollup") as rollup:
                    for line in rollup:
                        if line.startswith("Pss:"):
                            total += int(line.split()[1])
                            break
            except OSError:
                pass
        peak = max(peak, total)
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode not in ok:
        raise Failed(f"exit {process.returncode}")
    return seconds, peak


ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07]*\x07|.)")


def first_screen(argv: list[str], env: dict[str, str], timeout: float = 60.0) -> dict:
    """Start a Textual app in a pseudo-terminal and wait for the JSON line it appends to
    ``$RECALL_STARTUP_LOG`` at its first card / first paint; then press q and reap it.
    ``wall_s`` is from spawning the process to that line appearing (polled every 2 ms)."""
    log_file = Path(env["RECALL_HOME"]) / f"startup-{time.perf_counter_ns()}.jsonl"
    env = {**env, "RECALL_STARTUP_LOG": str(log_file), "TERM": "xterm-256color",
           "COLUMNS": str(TERMINAL[0]), "LINES": str(TERMINAL[1])}
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", TERMINAL[1], TERMINAL[0], 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdin=follower, stdout=follower, stderr=follower, env=env,
                               close_fds=True, start_new_session=True)
    os.close(follower)
    screen = bytearray()
    record: dict = {}
    wall = None

    def drain(wait: float) -> bool:
        ready, _, _ = select.select([leader], [], [], wait)
        if ready:
            try:
                screen.extend(os.read(leader, 65536))
            except OSError:
                return False
        return True

    try:
        deadline = time.monotonic() + timeout
        while wall is None and time.monotonic() < deadline and process.poll() is None:
            drain(0.002)
            try:
                if log_file.stat().st_size:
                    line = log_file.read_text().splitlines()[0]
                    wall = time.perf_counter() - started
                    record = json.loads(line)
            except (FileNotFoundError, IndexError, json.JSONDecodeError):
                pass
        if wall is None and log_file.exists() and log_file.stat().st_size:  # exited right after writing
            wall = time.perf_counter() - started
            record = json.loads(log_file.read_text().splitlines()[0])
        if process.poll() is None:
            os.write(leader, b"q")
        end = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < end:
            if not drain(0.05):
                time.sleep(0.01)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        os.close(leader)
        log_file.unlink(missing_ok=True)
    if wall is None:
        text = ANSI.sub("", screen.decode("utf-8", "replace"))
        raise Failed(f"no start-up record within {timeout:.0f} s (exit {process.returncode}): {text[-300:]!r}")
    record["wall_s"] = wall
    record["exit"] = process.returncode
    return record


# --- vaults ---------------------------------------------------------------------------


def vault(notes: int) -> Path:
    """bench/.work/vault-N, generated once by make_vault.py and reused while its
    MANIFEST.json says it was made with the same arguments and never mutated."""
    target = WORK / f"vault-{notes}"
    try:
        manifest = json.loads((target / "MANIFEST.json").read_text())
        if (manifest.get("format"), manifest.get("notes"), manifest.get("seed"),
                manifest.get("highlights_per_note_mean"), manifest.get("generation")) == (
                "recall-synthetic-vault/1", notes, VAULT_SEED, VAULT_MEAN, 0):
            return target
        log(f"{target} was made with other arguments or mutated: regenerating it")
    except (OSError, ValueError):
        pass
    if not MAKE_VAULT.is_file():
        raise SystemExit(
            f"bench: {MAKE_VAULT} not found.\nThe benchmark generates its vaults with the shared tools, "
            f"expected at {SHARED} (the folder next to the repository, ../shared)."
        )
    log(f"generating a {notes:,}-note vault with {MAKE_VAULT} (once; later runs reuse it)")
    building = WORK / f".vault-{notes}-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    subprocess.run([PYTHON, str(MAKE_VAULT), str(building), "--notes", str(notes), "--seed", str(VAULT_SEED),
                    "--highlights-per-note", str(VAULT_MEAN), "--quiet"], check=True)
    shutil.rmtree(target, ignore_errors=True)
    building.rename(target)
    return target


def copy_vault(source: Path, target: Path) -> None:
    """A copy with the same bytes and mtimes (so a database made for the copy's path stays valid)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, symlinks=True, copy_function=shutil.copy2)


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def copy_db(source: Path, target: Path) -> None:
    remove_db(target)
    for suffix in ("", "-wal"):
        if Path(str(source) + suffix).exists():
            shutil.copy2(str(source) + suffix, str(target) + suffix)


# --- figures --------------------------------------------------------------------------


@dataclass
class Figure:
    samples: list[float] = field(default_factory=list)
    error: str | None = None

    def add(self, measure) -> None:
        if self.error:
            return
        try:
            self.samples.append(measure())
        except Failed as failure:
            self.error = str(failure)

    @property
    def ok(self) -> bool:
        return bool(self.samples) and not self.error

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def show(self, unit: str = "s") -> str:
        if self.error:
            return f"failed ({self.error})"
        if not self.samples:
            return "n/a"
        scale, places = (1000, 0) if unit == "ms" else (1, 2)

        def number(value: float) -> str:
            return f"{value * scale:.{places}f}"

        spread = f" ({number(min(self.samples))}–{number(max(self.samples))})" if len(self.samples) > 1 else ""
        return f"{number(self.median)} {unit}{spread}"


def verdict(ratio: float, goal: float, strict: bool = False) -> str:
    met = ratio < goal if strict else ratio <= goal
    return "met" if met else "**missed**"


STAT_CODE = """
import os, sys, time
started = time.perf_counter()
count = 0
stack = [sys.argv[1]]
while stack:
    with os.scandir(stack.pop()) as listing:
        for entry in listing:
            if entry.name.startswith('.'):
                continue
            if entry.is_dir():
                stack.append(entry.path)
            elif entry.name.endswith('.md'):
                entry.stat(); count += 1
print(time.perf_counter() - started, count)
"""


def has_command(name: str, scratch: Path) -> bool:
    result = subprocess.run([*RECALL, name, "--help"], env=child_env(scratch), capture_output=True, text=True)
    return result.returncode == 0


SUMMARY = re.compile(r"files: (\d+) read, (\d+) unchanged")


def files_read(run: Run) -> str:
    found = SUMMARY.search(run.stderr)
    return f"{found.group(1)} read, {found.group(2)} unchanged" if found else "?"


def import_group(notes: int, runs: int, light: int, scratch: Path, rows: list, notes_out: list, raw: dict) -> Path | None:
    """Baseline, floors and recall import on one vault; returns a first-import database."""
    root = vault(notes)
    manifest = json.loads((root / "MANIFEST.json").read_text())
    label = f"{notes:,} notes, {manifest['counts']['highlights']:,} highlights"
    env = child_env(scratch)
    f = {name: Figure() for name in ("pass", "floor", "stat", "cat", "baseline", "schema", "first", "noop", "resync")}
    split: list[dict] = []
    schema_split: list[dict] = []
    peaks: list[int] = []
    reads: dict[str, str] = {}
    first_db = scratch / f"first-{notes}.db"

    resync_dir = scratch / f"resync-{notes}"
    resync_vault, resync_base, resync_db = resync_dir / "vault", resync_dir / "base.db", resync_dir / "resync.db"
    log(f"{label}: preparing the re-sync copy (an untimed full import, sampling the process tree's memory)")
    copy_vault(root, resync_vault)
    tree_seconds, tree_peak = 0.0, 0
    try:
        tree_seconds, tree_peak = tree_pss_peak([*RECALL, "import", str(resync_vault), "--db", str(resync_base)],
                                                env, ok=(0, 3))
    except Failed as failure:
        f["resync"].error = f"base import {failure}"
    share = None

    for round_ in range(runs):
        log(f"{label}: round {round_ + 1}/{runs}")
        for _ in range(light):
            f["pass"].add(lambda: timed([PYTHON, "-c", "pass"]).seconds)
            f["floor"].add(lambda: timed([PYTHON, "-c", "import sqlmodel, typer"]).seconds)
            f["stat"].add(lambda: float(timed([PYTHON, "-c", STAT_CODE, str(root)]).stdout.split()[0]))
            f["cat"].add(lambda: timed(["sh", "-c", 'find "$1" -name "*.md" -print0 | xargs -0 cat > /dev/null',
                                        "sh", str(root)]).seconds)

        def baseline() -> float:
            run = timed([PYTHON, str(BENCH / "baseline.py"), str(root), str(scratch / "baseline.db")])
            split.append(json.loads(run.stdout))
            return run.seconds

        f["baseline"].add(baseline)

        def schema() -> float:
            run = timed([PYTHON, str(BENCH / "baseline.py"), str(root), str(scratch / "baseline-schema.db"),
                         "--recall-schema"])
            schema_split.append(json.loads(run.stdout))
            return run.seconds

        f["schema"].add(schema)

        def first() -> float:
            remove_db(first_db)
            run = timed([*RECALL, "import", str(root), "--db", str(first_db)], env, ok=(0, 3), memory=True)
            peaks.append(run.peak_kb)
            reads["first"] = files_read(run)
            return run.seconds

        f["first"].add(first)

        def noop() -> float:
            if not first_db.exists():
                raise Failed("no database from the first import")
            run = timed([*RECALL, "import", str(root), "--db", str(first_db)], env, ok=(0, 3))
            reads["noop"] = files_read(run)
            return run.seconds

        f["noop"].add(noop)

        def resync() -> float:
            nonlocal share
            if round_:  # noqa: B023 - called in this round only. The previous round mutated the copy: start again
                copy_vault(root, resync_vault)
            copy_db(resync_base, resync_db)
            subprocess.run([PYTHON, str(MAKE_VAULT), str(resync_vault), "--mutate", "--quiet"], check=True,
                           capture_output=True)
            after = json.loads((resync_vault / "MANIFEST.json").read_text())
            change = after["mutations"][-1]
            share = (len(change["changed_files"]) + len(change["added_files"])) / after["counts"]["files"]
            reads["resync"] = f"{len(change['changed_files'])} changed + {len(change['added_files'])} added files"
            run = timed([*RECALL, "import", str(resync_vault), "--db", str(resync_db)], env, ok=(0, 3))
            reads["resync"] += f"; recall: {files_read(run)}"
            return run.seconds

        f["resync"].add(resync)

    shutil.rmtree(resync_dir, ignore_errors=True)
    raw[label] = {name: fig.samples for name, fig in f.items()} | {"baseline_split": split, "schema_split": schema_split, "peak_kb": peaks,
                                                                    "tree_pss_peak_kb": tree_peak}
    base = f["baseline"]
    parse = statistics.median(s["parse_s"] for s in split) if split else 0
    insert = statistics.median(s["insert_s"] for s in split) if split else 0
    rows.append((f"**{label}**", "", "", "", ""))
    rows.append(("read floor: `cat` every .md", f["cat"].show(), "", "", ""))
    rows.append(("stat every .md (the loop, in one process)", f["stat"].show("ms"), "", "", ""))
    rows.append(("stack floor: `python -c \"import sqlmodel, typer\"`", f["floor"].show(), "", "", ""))
    rows.append(("**baseline** `bench/baseline.py` (walk, read, split, `executemany`)",
                 f"{base.show()}; parse {parse:.2f} + insert {insert:.2f}", "reference", "", ""))
    if f["schema"].ok and base.ok:
        schema_insert = statistics.median(s["insert_s"] for s in schema_split)
        rows.append(("(for information) the same baseline writing into recall's schema (`--recall-schema`)",
                     f"{f['schema'].show()}; insert {schema_insert:.2f}", f"{f['schema'].median / base.median:.2f} × baseline",
                     "", ""))
    if f["first"].ok and base.ok:
        ratio = f["first"].median / base.median
        peak_mb = max(max(peaks) / 1024, tree_peak / 1024)
        rows.append(("`recall import`, first import (fresh database)", f["first"].show(), f"{ratio:.2f} × baseline",
                     "≤ 1.5", verdict(ratio, 1.5)))
        rows.append(("peak memory of that import",
                     f"{max(peaks) / 1024:.0f} MB largest process; {tree_peak / 1024:.0f} MB whole tree (PSS)",
                     "", "< 300 MB", verdict(peak_mb, 300, strict=True)))
    else:
        rows.append(("`recall import`, first import (fresh database)", f["first"].show(), "", "≤ 1.5", "n/a"))
    if f["noop"].ok and f["floor"].ok and f["stat"].ok:
        reference = f["floor"].median + f["stat"].median
        ratio = f["noop"].median / reference
        rows.append((f"`recall import`, nothing changed ({reads.get('noop', '?')})", f["noop"].show(),
                     f"{ratio:.2f} × (stack floor + stat) = {reference:.2f} s", "≤ 1.5", verdict(ratio, 1.5)))
    else:
        rows.append(("`recall import`, nothing changed", f["noop"].show(), "", "≤ 1.5", "n/a"))
    if f["noop"].ok and f["floor"].ok:
        ratio = f["noop"].median / f["floor"].median
        rows.append(("… the same against the stack floor alone", "", f"{ratio:.2f} × stack floor", "≤ 1.2",
                     verdict(ratio, 1.2)))
    if f["resync"].ok and f["first"].ok and f["noop"].ok and share is not None:
        reference = f["first"].median * share + f["noop"].median
        ratio = f["resync"].median / reference
        rows.append((f"`recall import` after a re-sync ({share:.1%} of files: {reads.get('resync', '?')})",
                     f["resync"].show(), f"{ratio:.2f} × (full × {share:.3f} + no-op) = {reference:.2f} s", "≤ 1.5",
                     verdict(ratio, 1.5)))
    else:
        rows.append(("`recall import` after a re-sync", f["resync"].show(), "", "≤ 1.5", "n/a"))
    notes_out.append(f"{label}: first import {reads.get('first', '?')}; baseline found "
                     f"{split[-1]['highlights'] if split else '?'} highlights in {split[-1]['files'] if split else '?'} files; "
                     f"untimed full import with memory sampling took {tree_seconds:.2f} s.")
    return first_db if first_db.exists() else None


def due_highlight(db: Path, env: dict[str, str]) -> int | None:
    """The id of the first highlight in ``recall due``'s queue, or None when nothing is due."""
    done = subprocess.run([*RECALL, "due", "--json", "--db", str(db)], env=env, capture_output=True, text=True,
                          check=False)
    queue = json.loads(done.stdout)["queue"] if done.returncode == 0 else []
    return queue[0]["id"] if queue else None


def daily_group(db: Path, root: Path, runs: int, light: int, scratch: Path, rows: list, notes_out: list,
                raw: dict) -> None:
    """due, stats and review on a copy of ``db`` (a first import of the vault ``root``) with a year of
    reviews, also written as the review log of three devices; then the review log's own figures."""
    from history import add_history
    from logbench import log_group, prepare

    reviewed = scratch / "reviewed.db"
    copy_db(db, reviewed)
    started = time.perf_counter()
    made = add_history(str(reviewed), TODAY)
    log(f"a year of reviews written in {time.perf_counter() - started:.1f} s: {made}")
    notes_out.append(
        f"Review history (bench/history.py): {made['reviews']:,} reviews + {made['drills']:,} drills on "
        f"{made['study_days']} study days ({made['reviews'] / made['study_days']:.0f} a day), "
        f"{made['reviewed_highlights']:,} highlights reviewed; due: {made['due_today_or_overdue']:,} today, "
        f"{made['due_next_60_days']:,} in the next 60 days, {made['due_later']:,} later; "
        f"{made['highlights'] - made['reviewed_highlights']:,} new. Clock: RECALL_NOW={NOW}, time zone UTC."
    )
    logged = prepare(reviewed, root, scratch)
    log(f"the year written as the review log of three devices, and caught up with: {logged}")
    notes_out.append(
        f"Review log (bench/logbench.py): the same year as {logged['events']:,} events of three devices (laptop "
        f"{logged['laptop']:,}, desktop {logged['desktop']:,}, phone {logged['phone']:,}) in {logged['files']} month "
        f"files, {logged['bytes'] / 1e6:.1f} MB; the first catch-up with all of it (a device joining, one untimed "
        f"`recall import`) took {logged['first_catch_up_ms'] / 1000:.1f} s."
    )
    env = child_env(scratch)
    commands = {name: has_command(name, scratch) for name in ("due", "stats", "review", "rate")}
    f = {name: Figure() for name in ("floor", "due", "stats", "stats_json", "rate", "bare", "card")}
    rated = due_highlight(reviewed, env)  # graded again and again: the first grade a review, then drills
    milestones: list[dict] = []
    for round_ in range(runs):
        log(f"due / stats / review: round {round_ + 1}/{runs}")
        for _ in range(light):
            f["floor"].add(lambda: timed([PYTHON, "-c", "import sqlmodel, typer"]).seconds)
            if commands["due"]:
                f["due"].add(lambda: timed([*RECALL, "due", "--db", str(reviewed)], env).seconds)
            if commands["stats"]:
                f["stats"].add(lambda: timed([*RECALL, "stats", "--db", str(reviewed)], env).seconds)
                f["stats_json"].add(lambda: timed([*RECALL, "stats", "--json", "--db", str(reviewed)], env).seconds)
            if commands["rate"] and rated is not None:
                f["rate"].add(lambda: timed([*RECALL, "rate", str(rated), "4", "--db", str(reviewed)], env).seconds)
        for _ in range(max(1, light - 1)):
            f["bare"].add(lambda: first_screen([PYTHON, str(BENCH / "bare_textual.py")], env)["wall_s"])
            if commands["review"]:

                def card() -> float:
                    record = first_screen([*RECALL, "review", "--db", str(reviewed)], env)
                    milestones.append(record)
                    if record.get("kind") != "session":
                        raise Failed(f"no card on screen: the app showed {record.get('kind')!r}")
                    return record["wall_s"]

                f["card"].add(card)
    raw["daily"] = {name: fig.samples for name, fig in f.items()} | {"review_milestones": milestones,
                                                                     "history": made}
    floor = f["floor"]
    rows.append((f"**{made['highlights']:,} highlights, a year of reviews**", "", "", "", ""))
    rows.append(("stack floor: `python -c \"import sqlmodel, typer\"`", floor.show(), "reference", "", ""))
    for name, what, goal in (
        ("due", "`recall due`", 1.2), ("rate", "`recall rate ID 4` (appended and fsync'd to the review log first)", 1.2),
        ("stats_json", "`recall stats --json`", 1.2),
        ("stats", "`recall stats` (the terminal report)", 1.5),
    ):
        if not commands[name.split("_")[0]]:
            rows.append((what, "n/a: command not there yet", "", f"≤ {goal}", "n/a"))
        elif f[name].ok and floor.ok:
            ratio = f[name].median / floor.median
            rows.append((what, f[name].show(), f"{ratio:.2f} × stack floor", f"≤ {goal}", verdict(ratio, goal)))
        else:
            rows.append((what, f[name].show(), "", f"≤ {goal}", "n/a"))
    rows.append(("bare Textual app, first paint (`bench/bare_textual.py`, from spawn)", f["bare"].show(), "reference",
                 "", ""))
    if not commands["review"]:
        rows.append(("`recall review`, first card on screen", "n/a: command not there yet", "", "≤ 1.3", "n/a"))
    elif f["card"].ok and f["bare"].ok and floor.ok:
        reference = f["bare"].median + floor.median
        ratio = f["card"].median / reference
        stretch = f["card"].median / f["bare"].median
        paint = statistics.median(m["first_paint_ms"] for m in milestones if m.get("first_paint_ms") is not None)
        loaded = statistics.median(m["loaded_ms"] for m in milestones if m.get("loaded_ms") is not None)
        rows.append((f"`recall review`, first card on screen (app's marks: paint {paint:.0f} ms, data {loaded:.0f} ms, "
                     f"card {statistics.median(m['first_card_ms'] for m in milestones):.0f} ms after the command starts)",
                     f["card"].show(), f"{ratio:.2f} × (bare first paint + stack floor) = {reference:.2f} s", "≤ 1.3",
                     verdict(ratio, 1.3)))
        rows.append(("… stretch: against the bare first paint alone", "", f"{stretch:.2f} × bare first paint", "≤ 1.5",
                     verdict(stretch, 1.5)))
    else:
        rows.append(("`recall review`, first card on screen", f["card"].show(), "", "≤ 1.3", "n/a"))
    rows.append(("**the review log: that year from three devices**", "", "", "", ""))
    log_group(root, db, reviewed, runs, light, scratch, rows, raw)


def heavy_imports(flag: str) -> list[str]:
    """Which of Textual, sqlmodel, SQLAlchemy, the importer a ``recall FLAG`` process imports (-X importtime)."""
    script = RECALL[0] if len(RECALL) == 1 else None
    argv = [PYTHON, "-X", "importtime", *([script] if script else ["-m", "recall"]), flag]
    result = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    loaded = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    return [name for name in ("textual", "sqlmodel", "sqlalchemy", "rich", "pendulum", "yaml")
            if any(m == name or m.startswith(name + ".") for m in loaded)]


def startup_group(runs: int, light: int, rows: list, raw: dict) -> None:
    f = {name: Figure() for name in ("pass", "--version", "--help")}
    for _ in range(runs * light):
        f["pass"].add(lambda: timed([PYTHON, "-c", "pass"]).seconds)
        for flag in ("--version", "--help"):
            f[flag].add(lambda flag=flag: timed([*RECALL, flag]).seconds)
    raw["startup"] = {name: fig.samples for name, fig in f.items()}
    rows.append(("**start-up**", "", "", "", ""))
    rows.append(("`python -c pass`", f["pass"].show("ms"), "reference", "", ""))
    for flag in ("--version", "--help"):
        heavy = heavy_imports(flag)
        forbidden = [name for name in heavy if name in ("textual", "sqlmodel", "sqlalchemy")]
        ratio = f"{f[flag].median / f['pass'].median:.1f} × `python -c pass`" if f[flag].ok and f["pass"].ok else ""
        imported = ", ".join(heavy) if heavy else "none of textual, sqlmodel, sqlalchemy, rich, pendulum, yaml"
        rows.append((f"`recall {flag}` (imports: {imported})", f[flag].show("ms"), ratio,
                     "imports neither Textual nor sqlmodel", "**missed**" if forbidden else "met"))


# --- main -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the 1,000-note vault only (well under a minute)")
    parser.add_argument("--runs", type=int, default=3, help="rounds (default 3); heavy figures get one sample a round")
    parser.add_argument("--light", type=int, default=None,
                        help="samples a round of the sub-second figures (default 3; 2 with --quick)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder bench/.work/run-PID")
    args = parser.parse_args()
    if args.light is None:
        args.light = 2 if args.quick else 3
    if not MAKE_VAULT.is_file():
        raise SystemExit(f"bench: {MAKE_VAULT} not found: the benchmark needs the shared tools at {SHARED} "
                         "(../shared next to the repository).")
    WORK.mkdir(exist_ok=True)
    compile_bytecode(REPO)
    scratch = WORK / f"run-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "home").mkdir(parents=True)
    # The review log in the scratch folder, never in the cached vaults (the default is inside the vault).
    (scratch / "home" / "config.toml").write_text(f'timezone = "UTC"\nreview_log = "{scratch / "log"}"\n',
                                                  encoding="utf-8")
    began = time.perf_counter()
    load_before = os.getloadavg()
    rows: list[tuple[str, str, str, str, str]] = []
    notes_out: list[str] = []
    raw: dict = {}
    try:
        sizes = (1_000,) if args.quick else (1_000, 10_000)
        for notes in sizes:
            vault(notes)
        startup_group(args.runs, args.light, rows, raw)
        db = None
        for notes in sizes:
            db = import_group(notes, args.runs, args.light, scratch, rows, notes_out, raw)
        if db is not None:
            daily_group(db, vault(sizes[-1]), args.runs, args.light, scratch, rows, notes_out, raw)
        else:
            notes_out.append("due / stats / review skipped: no imported database.")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    elapsed = time.perf_counter() - began
    version = subprocess.run([*RECALL, "--version"], capture_output=True, text=True).stdout.strip()
    header = (
        f"recall benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {version or 'recall ?'}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {load_before[0]:.2f} before / "
        f"{os.getloadavg()[0]:.2f} after; {'--quick, ' if args.quick else ''}{args.runs} rounds "
        f"({args.light} samples a round for sub-second figures); medians, (min–max); took {elapsed / 60:.1f} min."
    )
    table = ["| figure | time | ratio | goal | verdict |", "| --- | --- | --- | --- | --- |"]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    text = "\n".join([header, "", *table, "", *(f"- {note}" for note in notes_out)]) + "\n"
    print(text)
    (WORK / "last-run.md").write_text(text, encoding="utf-8")
    (WORK / "last-run.json").write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
