"""The user's settings, from a flat ``config.toml`` plus a ``[keymap]`` table.

Every value is checked when it is read, and a bad one stops the command with a
``ConfigError`` naming the file, the key and what is allowed. pendulum is only
imported when a time zone must be checked, so ``import recall.config`` stays cheap.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from recall import paths


class ConfigError(ValueError):
    """A settings file or override that recall cannot use; the message says where and why."""


def _default_timezone() -> str:
    from recall import clock

    return clock.local_timezone_name()


@dataclass(frozen=True)
class Settings:
    """What the user can set; the defaults apply to anything not set."""

    timezone: str = field(default_factory=_default_timezone)
    rollover_hour: int = 4
    new_per_day: int = 20
    reviews_per_day: int = 200
    grade_preset: str = "sm2"
    drills: bool = True
    highlight_folders: list[str] = field(default_factory=list)
    keymap: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for item in fields(self):
            _check(item.name, getattr(self, item.name), "settings")
        object.__setattr__(self, "keymap", dict(self.keymap))  # our own copy
        object.__setattr__(self, "highlight_folders", list(self.highlight_folders))

    def with_overrides(self, **overrides: Any) -> Settings:
        """These settings with the non-None ``overrides`` (command-line flags) applied, checked."""
        given = {key: value for key, value in overrides.items() if value is not None}
        for key, value in given.items():
            _check(key, value, "command line")
        return replace(self, **given)


SETTING_NAMES = tuple(item.name for item in fields(Settings))


def _show(value: object) -> str:
    """``value`` as it would look in TOML, for error messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


MAX_DAILY = 1_000_000  # a daily limit above this means "no limit" and must still fit SQLite's integers


def _check(key: str, value: object, where: str) -> None:
    """Raise ConfigError unless ``value`` is allowed for setting ``key``."""

    def bad(requirement: str) -> ConfigError:
        return ConfigError(f"{where}: {key} must be {requirement}, got {_show(value)}")

    if key == "timezone":
        from recall.clock import zone

        if not isinstance(value, str):
            raise bad('an IANA time zone name such as "Europe/Paris"')
        try:
            zone(value)
        except ValueError:
            raise bad('an IANA time zone name such as "Europe/Paris" (unknown zone)') from None
    elif key == "rollover_hour":
        if not _is_int(value) or not 0 <= value <= 23:  # type: ignore[operator]
            raise bad("a whole number from 0 to 23")
    elif key in ("new_per_day", "reviews_per_day"):
        if not _is_int(value) or not 0 <= value <= MAX_DAILY:  # type: ignore[operator]
            raise bad(f"a whole number from 0 to {MAX_DAILY:,}")
    elif key == "grade_preset":
        from recall.vocabulary import PRESETS

        if value not in PRESETS:
            raise bad("one of " + ", ".join(_show(name) for name in PRESETS))
    elif key == "drills":
        if not isinstance(value, bool):
            raise bad("true or false")
    elif key == "highlight_folders":
        if not isinstance(value, list | tuple) or not all(isinstance(f, str) and f.strip("/ ") for f in value):
            raise bad('a list of vault-relative folder names such as ["Reading/Highlights"]')
    elif key == "keymap":
        if not isinstance(value, Mapping):
            raise bad('a table of binding id = "key" or "key1,key2"')
        for binding, keys in value.items():
            if not isinstance(binding, str) or not binding.strip():
                raise ConfigError(f"{where}: keymap binding ids must be non-empty names, got {_show(binding)}")
            from recall.keys import binding_ids

            if binding not in binding_ids():
                raise ConfigError(
                    f"{where}: keymap has no binding called {_show(binding)}; the ids are "
                    f"{', '.join(sorted(binding_ids()))}"
                )
            if not isinstance(keys, str) or not keys.strip():
                raise ConfigError(
                    f'{where}: keymap.{binding} must be a key name or comma-separated key names such as "q,ctrl+q",'
                    f" got {_show(keys)}"
                )
    else:
        raise ConfigError(f"{where}: unknown setting {key!r}; the settings are: {', '.join(SETTING_NAMES)}")


MAX_SETTINGS_BYTES = 1 << 20


def load_settings(path: Path | None = None) -> Settings:
    """The settings in ``path`` (default: ``paths.config_path()``); a missing file means all defaults.

    Raises ConfigError for an unreadable, oversized (over 1 MiB: ``/dev/zero`` is not
    a settings file), non-UTF-8 or invalid file, naming the file and the key.
    """
    path = paths.config_path() if path is None else Path(path)
    try:
        with path.open("rb") as settings_file:
            raw = settings_file.read(MAX_SETTINGS_BYTES + 1)
    except FileNotFoundError:
        return Settings()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the settings file: {error.strerror or error}") from error
    if len(raw) > MAX_SETTINGS_BYTES:
        raise ConfigError(f"{path}: over 1 MiB, so not a settings file")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text, so not a TOML settings file") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error
    for key, value in data.items():
        _check(key, value, str(path))
    return Settings(**data)


DEFAULT_CONFIG_TEXT = """\
# recall settings. Every key is optional: the values below are the defaults,
# and a line you delete or comment out goes back to its default.

# Your IANA time zone; study days follow its wall clock.
# Default: the system's time zone. For example:
# timezone = "Europe/Paris"

# Hour (0-23, local time) at which a new study day starts: with 4, a review
# at 01:30 still counts for the day before.
rollover_hour = 4

# Most new highlights introduced per study day (0 to 1,000,000).
new_per_day = 20

# Most due reviews per study day (0 to 1,000,000).
reviews_per_day = 200

# Grade keys in the review: "sm2" (keys 0-5, SuperMemo's six grades) or
# "four" (1 Again, 2 Hard, 3 Good, 4 Easy: grades 2, 3, 4, 5).
grade_preset = "sm2"

# At the end of a session, ask again the highlights graded below 4
# (logged, but they never change the schedule).
drills = true

# Vault folders (relative to the vault) whose notes are highlight notes even
# without a highlights heading, as Readwise/, Kindle/, Hypothesis/, Zotero/,
# Omnivore/ and Matter/ are. For example:
# highlight_folders = ["Reading/Clippings"]
highlight_folders = []

# Review keys: binding id = "key" or "key1,key2". Keep the [keymap] table at the
# end of the file (every line after it belongs to it). For example:
# [keymap]
# quit = "q,ctrl+q"
"""
"""A commented template of every setting at its default (for ``recall config init``)."""
