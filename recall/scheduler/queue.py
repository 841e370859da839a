"""The daily queue: what to review on a study day, in a deterministic order.

Due highlights first (most overdue first), then new ones up to the daily new
limit, the whole capped by the daily review limit, both counting what was already
done that day. Ties are broken by a shuffle seeded from the day, so the order is
the same for a given database and day and different from one day to the next.
Retired, discarded and skipped-for-today highlights are never in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, Engine, text

# A cheap, deterministic per-day shuffle: Knuth's multiplicative hash of id + day.
SHUFFLE_SQL = "((h.id + :seed) * 2654435761) % 4294967296"
ACTIVE_SQL = "NOT h.retired AND NOT h.discarded AND (h.skipped_until IS NULL OR h.skipped_until < :day)"


@dataclass(frozen=True)
class QueueFilter:
    """Narrows a session: source title (substring, any case), tag, category."""

    source: str | None = None
    tag: str | None = None
    category: str | None = None

    def sql(self) -> tuple[str, dict[str, object]]:
        clauses: list[str] = []
        params: dict[str, object] = {}
        if self.source:
            clauses.append("h.source_id IN (SELECT id FROM sources WHERE title LIKE :source ESCAPE '\\')")
            params["source"] = "%" + _escape_like(self.source) + "%"
        if self.tag:
            clauses.append("EXISTS (SELECT 1 FROM json_each(h.tags) WHERE lower(value) = lower(:tag))")
            params["tag"] = self.tag.lstrip("#")
        if self.category:
            clauses.append("h.source_id IN (SELECT id FROM sources WHERE lower(category) = lower(:category))")
            params["category"] = self.category.lstrip("#")
        return "".join(" AND " + c for c in clauses), params


@dataclass
class DailyQueue:
    """Today's queue and the counts shown beside it."""

    day: date
    highlight_ids: list[int] = field(default_factory=list)
    due_count: int = 0  # due reviews in the queue
    new_count: int = 0  # new highlights in the queue
    due_total: int = 0  # all due today, before the caps
    new_available: int = 0  # never-reviewed highlights that could be introduced
    reviewed_today: int = 0  # first grades given today (drills not counted)
    new_today: int = 0  # of which new highlights


def build_queue(
    engine: Engine,
    day: date,
    new_per_day: int,
    reviews_per_day: int,
    where: QueueFilter | None = None,
    limit: int | None = None,
) -> DailyQueue:
    """The queue for ``day`` given the daily limits, an optional filter and a size limit."""
    filter_sql, params = (where or QueueFilter()).sql()
    params |= {"day": day.isoformat(), "seed": day.toordinal()}
    queue = DailyQueue(day)
    with engine.connect() as connection:
        queue.reviewed_today, queue.new_today = connection.execute(
            text(
                "SELECT count(*), coalesce(sum(due_before IS NULL), 0) FROM reviews"
                " WHERE study_day = :day AND kind = 'review'"
            ),
            params,
        ).one()
        queue.due_total = connection.execute(
            text(f"SELECT count(*) FROM highlights h WHERE {ACTIVE_SQL} AND h.due <= :day{filter_sql}"), params
        ).scalar_one()
        room_for_reviews = max(0, reviews_per_day - queue.reviewed_today)
        due = _pick(connection, f"h.due <= :day{filter_sql}", f"h.due, {SHUFFLE_SQL}", params, room_for_reviews)
        queue.new_available = connection.execute(
            text(f"SELECT count(*) FROM highlights h WHERE {ACTIVE_SQL} AND h.due IS NULL{filter_sql}"), params
        ).scalar_one()
        room_for_new = max(0, min(new_per_day - queue.new_today, room_for_reviews - len(due)))
        new = _pick(connection, f"h.due IS NULL{filter_sql}", SHUFFLE_SQL, params, room_for_new)
    ids = [*due, *new]
    if limit is not None:
        ids = ids[: max(0, limit)]
    queue.highlight_ids = ids
    queue.due_count = min(len(ids), len(due))
    queue.new_count = len(ids) - queue.due_count
    return queue


def _pick(connection: Connection, condition: str, order: str, params: dict[str, object], room: int) -> list[int]:
    """Up to ``room`` active highlight ids meeting ``condition``, in ``order``."""
    sql = f"SELECT h.id FROM highlights h WHERE {ACTIVE_SQL} AND {condition} ORDER BY {order} LIMIT :room"
    return list(connection.execute(text(sql), params | {"room": room}).scalars())


# Scheduled for later and not graded today (a second grade today would only be a drill).
AHEAD_SQL = (
    "h.due > :day AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.highlight_id = h.id AND r.study_day = :day)"
)


def ahead(engine: Engine, day: date, where: QueueFilter | None = None, limit: int | None = None) -> list[int]:
    """Highlights scheduled after ``day``, soonest first: for reviewing ahead."""
    filter_sql, params = (where or QueueFilter()).sql()
    sql = f"SELECT h.id FROM highlights h WHERE {ACTIVE_SQL} AND {AHEAD_SQL}{filter_sql} ORDER BY h.due, {SHUFFLE_SQL}"
    if limit is not None:
        sql += " LIMIT :limit"
    with engine.connect() as connection:
        rows = connection.execute(text(sql), params | {"day": day.isoformat(), "seed": day.toordinal(), "limit": limit})
        return [row[0] for row in rows]


def count_ahead(engine: Engine, day: date, where: QueueFilter | None = None) -> int:
    filter_sql, params = (where or QueueFilter()).sql()
    sql = f"SELECT count(*) FROM highlights h WHERE {ACTIVE_SQL} AND {AHEAD_SQL}{filter_sql}"
    with engine.connect() as connection:
        return connection.execute(text(sql), params | {"day": day.isoformat()}).scalar_one()


def unfinished_drills(engine: Engine, day: date, pass_grade: int, where: QueueFilter | None = None) -> list[int]:
    """Highlights whose latest grade on ``day`` is below ``pass_grade``: drills a session left unfinished."""
    filter_sql, params = (where or QueueFilter()).sql()
    sql = (
        "SELECT r.highlight_id FROM reviews r JOIN highlights h ON h.id = r.highlight_id"
        " WHERE r.study_day = :day AND r.grade < :pass"
        " AND r.id = (SELECT max(r2.id) FROM reviews r2 WHERE r2.highlight_id = r.highlight_id"
        " AND r2.study_day = :day)"
        f" AND {ACTIVE_SQL}{filter_sql} ORDER BY r.id"
    )
    with engine.connect() as connection:
        rows = connection.execute(text(sql), params | {"day": day.isoformat(), "pass": pass_grade})
        return [row[0] for row in rows]


def upcoming(engine: Engine, after: date, days: int) -> list[tuple[date, int]]:
    """How many active highlights fall due on each of the ``days`` study days after ``after``."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT h.due, count(*) FROM highlights h WHERE NOT h.retired AND NOT h.discarded"
                " AND h.due > :after AND h.due <= date(:after, :span) GROUP BY h.due ORDER BY h.due"
            ),
            {"after": after.isoformat(), "span": f"+{days} days"},
        ).all()
    return [(date.fromisoformat(d), n) for d, n in rows]


def next_due_day(engine: Engine, after: date) -> date | None:
    """The first study day after ``after`` on which something falls due."""
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT min(h.due) FROM highlights h WHERE NOT h.retired AND NOT h.discarded AND h.due > :after"),
            {"after": after.isoformat()},
        ).scalar_one()
    return date.fromisoformat(found) if found else None


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
