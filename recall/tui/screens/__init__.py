"""Screens of the review app: the review itself, the summary and the empty states."""
