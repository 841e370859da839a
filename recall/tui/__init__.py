"""The review app (``recall review``), built on Textual.

Nothing outside this package imports Textual, and nothing here is imported by
``recall.cli`` until the review command runs: ``recall import`` and the other
commands never pay Textual's start-up cost.
"""
