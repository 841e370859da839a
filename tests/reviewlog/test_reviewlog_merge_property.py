"""Two devices, random small histories with syncs in between (grades, marks, the load tools' due-day
moves, undos): every delivery order, with torn reads and conflict copies on the way, replays to the
same states on both."""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from logsim import START, Device

from recall.reviewlog.events import Event, EventType
from recall.reviewlog.files import append, read_log
from recall.reviewlog.replay import Replay, replay
from recall.vocabulary import ReviewKind

KEYS = ["rw:1", "rw:2", "tweet:3"]
MARKS = [EventType.SKIP, EventType.DISCARD, EventType.RESTORE, EventType.FAVORITE, EventType.UNFAVORITE]

steps = st.lists(
    st.tuples(
        st.integers(0, 1),  # which device acts
        st.integers(0, 600),  # minutes since the step before (both devices on one time line)
        st.one_of(
            st.tuples(st.just("grade"), st.sampled_from(KEYS), st.integers(0, 5)),
            st.tuples(st.just("mark"), st.sampled_from(KEYS), st.sampled_from(MARKS)),
            st.tuples(st.just("move"), st.sampled_from(KEYS), st.integers(-5, 20)),  # postpone, advance, a break's
            st.tuples(st.just("undo")),
            st.tuples(st.just("sync")),
        ),
    ),
    min_size=1, max_size=25,
)


def simulate(history: list) -> tuple[Device, Device]:
    devices = Device("a"), Device("b")
    at = START
    for who, minutes, action in history:
        at += timedelta(minutes=minutes)
        device = devices[who]
        if action[0] == "grade":
            device.act(EventType.GRADE, action[1], at, grade=action[2])
        elif action[0] == "mark":
            device.act(action[2], action[1], at)
        elif action[0] == "move":
            due = replay(device.known.values()).state(action[1]).due
            if due is not None:
                device.reschedule(action[1], at, due + timedelta(days=action[2] or 1))
        elif action[0] == "undo":
            device.undo_last(at)
        else:
            devices[0].receive(devices[1].own)
            devices[1].receive(devices[0].own)
    return devices


def summary(result: Replay) -> tuple:
    return result.states, [(a.event.id, a.kind, a.before, a.after) for a in result.applied], result.undone


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps, st.randoms(use_true_random=False))
def test_any_delivery_order_gives_the_same_states_on_both_devices(history: list, rng: random.Random) -> None:
    a, b = simulate(history)
    everything = [*a.own, *b.own]
    expected = replay(everything)
    a.receive(b.own)
    b.receive(a.own)
    assert summary(replay(a.known.values())) == summary(replay(b.known.values())) == summary(expected)
    shuffled = everything + rng.sample(everything, k=min(len(everything), 5))  # with copies
    rng.shuffle(shuffled)
    assert summary(replay(shuffled)) == summary(expected)
    # the same-day rule: at most one review per highlight per study day
    reviews = Counter((x.event.key, x.event.day) for x in expected.applied if x.kind is ReviewKind.REVIEW)
    assert all(count == 1 for count in reviews.values())
    # before any sync, what each device recorded is exactly what the replay of its own events finds
    if not any(action[0] == "sync" for _, _, action in history):
        assert replay(a.own).diverged == [] and replay(b.own).diverged == []

@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps, st.randoms(use_true_random=False))
def test_files_synced_in_pieces_and_conflict_copies_read_to_the_same_states(history: list, rng: random.Random) -> None:
    a, b = simulate(history)
    expected = summary(replay([*a.own, *b.own]))
    with tempfile.TemporaryDirectory() as folder:
        here, there = Path(folder, "a-vault", "recall-log"), Path(folder, "b-vault", "recall-log")
        here.mkdir(parents=True)
        for one in a.own:
            append(here, one)
        for one in b.own:
            append(there, one)
        # b's files arrive in pieces, a read after each (a sync tool copying mid-append), plus a conflict copy of one
        pieces: list[tuple[Path, bytes]] = []
        for source in sorted(there.rglob("*.jsonl")):
            data = source.read_bytes()
            cuts = sorted(rng.sample(range(1, len(data)), k=min(3, len(data) - 1)))
            pieces += [(source, data[i:j]) for i, j in zip([0, *cuts], [*cuts, len(data)], strict=True)]
        seen: list[Event] = []
        cursors: dict = {}
        for source, piece in pieces:
            target = here / source.relative_to(there)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "ab") as out:
                out.write(piece)
            read = read_log(here, cursors)
            assert read.problems == []
            seen += [located.event for located in read.events]
            cursors = read.cursors
        for source in sorted(here.rglob("*.jsonl"))[:1]:
            source.with_name(source.stem + ".sync-conflict-20260302-093000-ABCDEFG.jsonl").write_bytes(
                source.read_bytes()
            )
        final = read_log(here, cursors)
        assert final.problems == []
        seen += [located.event for located in final.events]
        assert summary(replay(seen)) == expected
        assert Counter(e.id for e in seen).keys() == {e.id for e in [*a.own, *b.own]}
