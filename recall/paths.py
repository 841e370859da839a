"""Where recall keeps its files.

Resolution order for the database: ``--db PATH``, then ``$RECALL_DB``, then
``$RECALL_HOME/recall.db``, then the platform's user data directory.
Nothing here touches the disk until a function is called.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "recall"
DB_FILENAME = "recall.db"
CONFIG_FILENAME = "config.toml"


def data_dir() -> Path:
    """The directory for recall's database (``$RECALL_HOME`` wins)."""
    home = os.environ.get("RECALL_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The directory for ``config.toml`` (``$RECALL_HOME`` wins)."""
    home = os.environ.get("RECALL_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def config_path() -> Path:
    """The settings file; ``$RECALL_CONFIG`` overrides it."""
    explicit = os.environ.get("RECALL_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    return config_dir() / CONFIG_FILENAME


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file to use, from the flag, the environment or the default."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("RECALL_DB")
    if from_env:
        return Path(from_env).expanduser()
    return data_dir() / DB_FILENAME
