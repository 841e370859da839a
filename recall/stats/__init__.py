"""Streaks and statistics from the review log.

``streaks`` is pure (records in, figures out), ``report`` gathers everything from
the database with a few aggregate queries, ``render`` draws the terminal report
(rich, never Textual) and ``export`` turns it into stable CSV/JSON rows.
Nothing is imported here, so ``import recall.stats`` stays free.
"""
