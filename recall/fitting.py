"""Fitting FSRS-6's 21 parameters to the user's own reviews, through fsrs-rs: a pure core, no
clock, no I/O (``recall optimize``, issue 14).

recall does not write the optimizer: ``fsrs_rs_python`` (the Python binding of fsrs-rs, the
optimizer Anki ships, no torch) fits the weights and scores them. This module only turns
recall's histories into its training items, applies its rules for "enough", and converts its
single-precision weights into numbers py-fsrs (``recall.fsrs``) accepts.

**Input.** One history per highlight: its (study day, grade 0-5) pairs in order of strictly
increasing days, reviews only (a day's first grade; drills never reach FSRS), the same
pairs ``recall.fsrs.memory_state`` takes. Grades become fsrs-rs ratings 1-4 as
``recall.fsrs.rating`` maps them (0-2 Again, 3 Hard, 4 Good, 5 Easy).

**Training items** (fsrs-rs ``FSRSItem``, as Anki builds them in
``rslib/src/scheduler/fsrs/params.rs``): one per review after a highlight's first, holding every
review of the highlight up to it, each with ``delta_t`` = whole days since the one before (0 for
the first). The item's last review is the one predicted: recalled unless rated Again. A
highlight's first review predicts nothing, so it is in no item of its own. Items are ordered
by the day of their last review (oldest first; highlights in the order given on a day), since
fsrs-rs weighs each item by its place in that order (``recency_weighted_fsrs_items``: 0.25 for
the oldest to 1 for the newest), both when it trains and when it scores.

**Enough** (fsrs-rs 6.6 ``compute_parameters``, ``src/training.rs``): it first sets aside
outliers (``filter_outlier``: the rarest delta_t after each first rating, at least 20 items
per first rating, and second reviews more than 100 days after the first, 365 after an Easy),
then with fewer than 8 items left returns the default parameters untouched and with fewer than
64, or with no item past a highlight's second review, fits only the four initial stabilities
(w0-w3). recall asks for the full fit: ``MIN_REVIEWS`` items left after the outliers, some of
them past a second review; below that, ``NotEnoughReviews``, with the numbers.

**Scores** (fsrs-rs ``FSRS.evaluate``, what Anki's "Evaluate" shows), on every item, the same
for the parameters before and after: the log loss is the binary cross-entropy between the
predicted retrievability and recalled/forgotten, averaged with the recency weights above; the
RMSE is Anki's "RMSE (bins)": items binned by delta_t, review count and lapses, then the root
of the squared gap between mean prediction and mean recall per bin, averaged with each bin's
summed weight. Both are in-sample (scored on the items the fit trained on), as Anki's are.
Lower is better for both.

Deterministic: fsrs-rs trains with a fixed seed (2023), so the same histories give the same
weights and the same log loss, in every process. The RMSE can differ in its last digit or two
from one run to the next (about 1e-8: fsrs-rs sums its bins in the order of a hash map, which
Rust seeds afresh each time).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from fsrs_rs_python import DEFAULT_PARAMETERS as RS_DEFAULT_PARAMETERS
from fsrs_rs_python import FSRS, FSRSItem, FSRSReview, filter_outlier

from recall.fsrs import DEFAULT, FSRSParameters, rating, scheduler

MIN_REVIEWS: Final = 64
"""Training items (reviews after a highlight's first, outliers set aside) fsrs-rs needs before
it fits all 21 weights rather than the first four (``compute_parameters``)."""

WEIGHTS: Final = 21  # FSRS-6, in fsrs-rs 6.x and py-fsrs 6.x alike

History = Sequence[tuple[date, int]]
"""One highlight's reviews: (study day, grade 0-5), days strictly increasing."""


@dataclass(frozen=True, slots=True)
class Evaluation:
    """How well a set of weights predicts the reviews (fsrs-rs ``evaluate``; lower is better):
    ``log_loss`` (recency-weighted binary cross-entropy, in nats) and ``rmse`` (Anki's RMSE
    (bins), a probability from 0 to 1, which may differ in its last digit from run to run)."""

    log_loss: float
    rmse: float


@dataclass(frozen=True, slots=True)
class Fit:
    """A fit: the 21 ``weights`` fitted (py-fsrs accepts them), the ``reviews`` and
    ``highlights`` given, the training items the optimizer kept (``used``: reviews after a
    highlight's first, outliers set aside), and the scores of the parameters it started from
    (``before``) and of the fitted ones (``after``), on the same items."""

    weights: tuple[float, ...]
    reviews: int
    highlights: int
    used: int
    before: Evaluation
    after: Evaluation

    @property
    def improved(self) -> bool:
        """Do the fitted weights predict the reviews better? Anki's rule: only when their RMSE
        (bins) is lower than the current weights' (``compute_params``; it keeps the current ones
        otherwise), here by more than ``RMSE_NOISE``: the same weights scored twice can differ by
        that much (module docstring), and refitting weights already fitted must not "improve"."""
        return self.after.rmse < self.before.rmse - RMSE_NOISE


RMSE_NOISE: Final = 1e-6  # well above fsrs-rs's run-to-run differences (~1e-8), far below any real gain


class NotEnoughReviews(Exception):
    """Too few reviews for a full fit: ``used`` training items (of ``reviews`` reviews of
    ``highlights`` highlights) where ``needed`` are, or none of them past a highlight's second
    review (``later`` is 0)."""

    def __init__(self, reviews: int, highlights: int, used: int, later: int, needed: int = MIN_REVIEWS) -> None:
        self.reviews, self.highlights, self.used, self.later, self.needed = reviews, highlights, used, later, needed
        why = f"{needed} needed" if used < needed else "but none past a highlight's second review"
        super().__init__(f"not enough reviews to fit FSRS yet: {used} usable reviews, {why}")


def single(value: float) -> float:
    """The shortest decimal that is the same single-precision float as ``value``: fsrs-rs
    computes in f32, and its 0.8 widened to a Python float is 0.800000011920929, over py-fsrs's
    bound of 0.8; as 0.8 it is the same f32 and inside the bound (a float inside a bound that is
    itself such a decimal stays inside it)."""
    target = struct.pack("<f", value)
    for digits in range(1, 10):  # 9 significant digits always round-trip an f32
        shortest = float(f"{value:.{digits}g}")
        if struct.pack("<f", shortest) == target:
            return shortest
    raise AssertionError(f"{value!r} does not round-trip as a single-precision float")  # pragma: no cover


DEFAULT_WEIGHTS: Final = DEFAULT.weights
"""py-fsrs's default weights: what the fit starts from until the user has their own."""


def training_items(histories: Iterable[History]) -> list[FSRSItem]:
    """The fsrs-rs training items of ``histories`` (module docstring: one per review after a
    highlight's first, ordered by its day). ``ValueError`` for a grade outside 0-5 or days that
    do not strictly increase."""
    dated: list[tuple[date, int, int, FSRSItem]] = []  # (day predicted, highlight's place, review's place, item)
    for place, history in enumerate(histories):
        reviews: list[FSRSReview] = []
        previous: date | None = None
        for order, (day, grade) in enumerate(history):
            if previous is not None and day <= previous:
                raise ValueError(f"a review on {day} cannot follow one on {previous}: one review per study day, in order")
            elapsed = 0 if previous is None else (day - previous).days
            reviews.append(FSRSReview(int(rating(grade)), elapsed))
            if previous is not None:
                dated.append((day, place, order, FSRSItem(list(reviews))))
            previous = day
    dated.sort(key=lambda entry: entry[:3])
    return [item for *_, item in dated]


def evaluate(items: Sequence[FSRSItem], weights: Sequence[float]) -> Evaluation:
    """The scores of ``weights`` (21 numbers) on ``items`` (at least one): fsrs-rs ``evaluate``."""
    scores = FSRS(list(weights)).evaluate(list(items))
    return Evaluation(log_loss=single(scores.log_loss), rmse=single(scores.rmse_bins))


def fit(histories: Iterable[History], current: Sequence[float] = DEFAULT_WEIGHTS) -> Fit:
    """Fit FSRS-6 to ``histories`` (module docstring) and score the ``current`` weights (the
    defaults until the user has fitted their own) and the fitted ones on them.

    ``NotEnoughReviews`` below fsrs-rs's minimum for a full fit; ``ValueError`` for a history
    ``training_items`` refuses. Training starts from fsrs-rs's defaults (as Anki's does), not
    from ``current``, which only sets the "before" scores.
    """
    histories = list(histories)
    reviews = sum(len(history) for history in histories)
    highlights = sum(1 for history in histories if history)
    items = training_items(histories)
    # The outliers compute_parameters sets aside, found with its own public function.
    firsts = [item for item in items if item.long_term_review_cnt() == 1]
    kept_firsts, kept = filter_outlier(firsts, items)
    later = len(kept) - len(kept_firsts)
    if len(kept) < MIN_REVIEWS or later == 0:
        raise NotEnoughReviews(reviews, highlights, len(kept), later)
    fitted = FSRS(list(RS_DEFAULT_PARAMETERS)).compute_parameters(items)
    weights = tuple(single(weight) for weight in fitted)
    if len(weights) != WEIGHTS:
        raise AssertionError(f"fsrs-rs gave {len(weights)} weights, FSRS-6 has {WEIGHTS}")  # pragma: no cover
    scheduler(FSRSParameters(weights))  # py-fsrs checks every weight's bounds: ValueError if one is off
    return Fit(weights, reviews, highlights, len(kept), evaluate(items, current), evaluate(items, weights))
