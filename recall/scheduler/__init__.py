"""Scheduling: the SM-2 algorithm (pure) and what applies it to the database."""
