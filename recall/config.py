"""The user's settings, from a flat ``config.toml`` plus a ``[keymap]`` table.

``Settings`` is a pydantic model: each setting is one field with its type, default,
bounds and description, and from those fields come the checks, the error messages,
the commented file ``recall config init`` writes and the table ``recall config show``
prints. Every value is checked when it is read, and a bad one stops the command with
a ``ConfigError`` naming the file, the key and what is allowed. pendulum is only
imported when a time zone must be checked, and the review app's key ids only when
they are named, so ``import recall.config`` stays cheap.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Self, get_origin

from annotated_types import Ge, Le
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, ValidationInfo
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails, PydanticCustomError

from recall import paths
from recall.vocabulary import PRESETS, PromptStyle


class ConfigError(ValueError):
    """A settings file or override that recall cannot use; the message says where and why."""


def _toml(value: object) -> str:
    """``value`` (text, a number, true/false or a list of those) written as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return str(value)


def _show(value: object) -> str:
    """``value`` as it would look in TOML, for error messages (a table or list only named)."""
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return _toml(value)


def _refusal(text: str) -> PydanticCustomError:
    """A validation error whose message is ``text``, the ConfigError's words after its "where: "."""
    return PydanticCustomError("setting", "{text}", {"text": text})


def _zone_name(value: object, info: ValidationInfo) -> object:
    """``value`` if it names an IANA time zone (pendulum is imported only now)."""
    from recall.clock import zone

    allowed = 'an IANA time zone name such as "Europe/Paris"'
    if not isinstance(value, str):
        raise _refusal(f"{info.field_name} must be {allowed}, got {_show(value)}")
    try:
        zone(value)
    except ValueError:
        raise _refusal(f"{info.field_name} must be {allowed} (unknown zone), got {_show(value)}") from None
    return value


def _one_of(choices: Iterable[str], make: Callable[[str], object] = str) -> Callable[[object, ValidationInfo], object]:
    """A validator that takes ``value`` as ``make(value)`` if it is one of ``choices`` (names, in the order shown)."""
    names = tuple(str(choice) for choice in choices)

    def check(value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str) or value not in names:
            allowed = "one of " + ", ".join(_show(name) for name in names)
            raise _refusal(f"{info.field_name} must be {allowed}, got {_show(value)}")
        return make(value)

    return check


def _folder_names(value: object, info: ValidationInfo) -> object:
    """``value`` as a list, if it is a list of folder names (not empty, not only slashes)."""
    if not isinstance(value, list | tuple) or not all(isinstance(f, str) and f.strip("/ ") for f in value):
        allowed = 'a list of vault-relative folder names such as ["Reading/Highlights"]'
        raise _refusal(f"{info.field_name} must be {allowed}, got {_show(value)}")
    return list(value)


def _log_folder(value: object, info: ValidationInfo) -> object:
    """``value`` if it can name the review log's folder: absolute (or under ``~``), or relative
    and then inside the vault (no ``..``, not the vault itself). ``recall.reviewlog.place`` reads it."""
    allowed = 'a folder: relative to the vault imported first (such as "recall-log"), or absolute'
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        raise _refusal(f"{info.field_name} must be {allowed}, got {_show(value)}")
    if not Path(value).expanduser().is_absolute():
        parts = [part for part in PurePosixPath(value.replace("\\", "/")).parts if part != "."]
        if not parts or ".." in parts:
            raise _refusal(f"{info.field_name} must be {allowed}; a relative one stays inside the vault, got {_show(value)}")
    return value


def _keymap(value: object, info: ValidationInfo) -> object:
    """``value`` as a dict, if every key is a binding id of the review app and every value names keys."""
    name = info.field_name
    if not isinstance(value, Mapping):
        raise _refusal(f'{name} must be a table of binding id = "key" or "key1,key2", got {_show(value)}')
    for binding, keys in value.items():
        if not isinstance(binding, str) or not binding.strip():
            raise _refusal(f"{name} binding ids must be non-empty names, got {_show(binding)}")
        from recall.keys import binding_ids  # only for a keymap that names keys

        if binding not in binding_ids():
            ids = ", ".join(sorted(binding_ids()))
            raise _refusal(f"{name} has no binding called {_show(binding)}; the ids are {ids}")
        if not isinstance(keys, str) or not keys.strip():
            raise _refusal(
                f'{name}.{binding} must be a key name or comma-separated key names such as "q,ctrl+q", got {_show(keys)}'
            )
    return dict(value)


def _default_timezone() -> str:
    from recall import clock

    return clock.local_timezone_name()


MAX_DAILY = 1_000_000  # a daily limit above this means "no limit" and must still fit SQLite's integers
MAX_MIN_WORDS = 1_000


class Settings(BaseModel):
    """What the user can set; the defaults apply to anything not set.

    A setting is one field: its type (strict: ``"4"`` is not a number, ``1`` is not
    true), its default, its description (the comment above it, line for line, in the
    file ``recall config init`` writes), ``examples`` for a setting shown commented out (a computed default, a
    table) and either bounds (whole numbers: ``ge`` and ``le``) or a check that words
    its own refusal (``BeforeValidator``). Settings are immutable; building them with
    a bad or unknown value raises ConfigError.
    """

    model_config = ConfigDict(frozen=True, strict=True, extra="forbid", defer_build=True)  # built below

    timezone: Annotated[str, BeforeValidator(_zone_name)] = Field(
        default_factory=_default_timezone,
        description="Your IANA time zone; study days follow its wall clock.\nDefault: the system's time zone.",
        examples=["Europe/Paris"],
    )
    rollover_hour: int = Field(
        default=4,
        ge=0,
        le=23,
        description="Hour (0-23, local time) at which a new study day starts: with 4, a review\n"
        "at 01:30 still counts for the day before.",
    )
    new_per_day: int = Field(
        default=10, ge=0, le=MAX_DAILY, description=f"Most new highlights introduced per study day (0 to {MAX_DAILY:,})."
    )
    reviews_per_day: int = Field(
        default=200, ge=0, le=MAX_DAILY, description=f"Most due reviews per study day (0 to {MAX_DAILY:,})."
    )
    min_words: int = Field(
        default=4,
        ge=0,
        le=MAX_MIN_WORDS,
        description="Highlights of fewer words than this (Markdown markup not counted) stay out of\n"
        "the daily queue, as do placeholders (an image alone, AirrQuote); they stay\n"
        f"imported, and --all reviews them. 0 keeps every length (0 to {MAX_MIN_WORDS}).",
    )
    grade_preset: Annotated[str, BeforeValidator(_one_of(PRESETS))] = Field(
        default="four",
        description='Grade keys in the review: "four" (1 Again, 2 Hard, 3 Good, 4 Easy: SM-2\n'
        'grades 2, 3, 4, 5) or "sm2" (keys 0-5, SuperMemo\'s six grades).',
    )
    prompt: Annotated[PromptStyle, BeforeValidator(_one_of(PromptStyle, PromptStyle))] = Field(
        default=PromptStyle.CLOZE,
        description='What a card asks before Space reveals it: "cloze" (a few key words blanked),\n'
        '"cue" (the source and the first words) or "full" (everything at once, to reread).',
    )
    drills: bool = Field(
        default=True,
        description="At the end of a session, ask again the highlights graded below 4\n"
        "(logged, but they never change the schedule).",
    )
    highlight_folders: Annotated[list[str], BeforeValidator(_folder_names)] = Field(
        default=[],
        description="Vault folders (relative to the vault) whose notes are highlight notes even\n"
        "without a highlights heading, as Readwise/, Kindle/, Hypothesis/, Zotero/,\n"
        "Omnivore/ and Matter/ are.",
        examples=[["Reading/Clippings"]],
    )
    review_log: Annotated[str, BeforeValidator(_log_folder)] = Field(
        default="recall-log",
        description="The review log's folder: each grade as a line of JSON, which any file sync\n"
        "carries to your other devices. A relative folder is inside the vault imported\n"
        "first; an absolute one (or ~/...) is used as it is. The import never reads it.",
    )
    keymap: Annotated[dict[str, str], BeforeValidator(_keymap)] = Field(
        default={},
        description='Review keys: binding id = "key" or "key1,key2". Keep the [keymap] table at the\n'
        "end of the file (every line after it belongs to it).",
        examples=[{"quit": "q,ctrl+q"}],
    )

    def __init__(self, where: str = "settings", /, **values: Any) -> None:
        """Settings from ``values``; a bad or unknown one raises ConfigError, its message led by ``where``.

        ``where`` says where the values come from: the settings file's path, "command line".
        """
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise _config_error(type(self), error, values, where) from None

    def with_overrides(self, **overrides: Any) -> Self:
        """These settings with the non-None ``overrides`` (command-line flags) applied, checked."""
        given = {key: value for key, value in overrides.items() if value is not None}
        kept = {key: value for key, value in self.model_dump().items() if key not in given}
        return type(self)("command line", **given, **kept)


def _config_error(model: type[Settings], error: ValidationError, values: Mapping[str, Any], where: str) -> ConfigError:
    """The ConfigError for the first bad key of ``values`` (in their order): "<where>: <key> must be …, got …"."""
    order: list[object] = list(values)
    first = min(error.errors(), key=lambda details: order.index(details["loc"][0]))
    key = ".".join(str(part) for part in first["loc"])
    if first["type"] == "extra_forbidden":
        return ConfigError(f"{where}: unknown setting {key!r}; the settings are: {', '.join(model.model_fields)}")
    if first["type"] == "setting":
        return ConfigError(f"{where}: {first['ctx']['text']}")
    allowed = _allowed(model.model_fields[str(first["loc"][0])], first)
    return ConfigError(f"{where}: {key} must be {allowed}, got {_show(first['input'])}")


def _allowed(field: FieldInfo, error: ErrorDetails) -> str:
    """What ``field`` allows, in words: from its type and bounds, else pydantic's own."""
    if field.annotation is bool:
        return "true or false"
    if field.annotation is int:  # whole-number settings declare both bounds (ge, le)
        low = next(bound.ge for bound in field.metadata if isinstance(bound, Ge))
        high = next(bound.le for bound in field.metadata if isinstance(bound, Le))
        return f"a whole number from {low:,} to {high:,}"
    return error["msg"].removeprefix("Input should be ")


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
    return Settings(str(path), **data)


_TEMPLATE_HEADER = """\
# recall settings. Every key is optional: the values below are the defaults,
# and a line you delete or comment out goes back to its default.
"""


def _is_table(field: FieldInfo) -> bool:
    return get_origin(field.annotation) is dict


def _template_entry(name: str, field: FieldInfo) -> str:
    """One setting in the template: its description as comments, then ``name = default``.

    A setting with ``examples`` shows the first one commented out ("For example:");
    a computed default (``default_factory``) or a table is only shown that way, so
    the file has no open table at its end and a line appended to it is a setting.
    """
    lines = ((field.description or "") + (" For example:" if field.examples else "")).split("\n")
    if field.examples:
        example = field.examples[0]
        if _is_table(field):
            lines += [f"[{name}]", *(f"{key} = {_toml(value)}" for key, value in example.items())]
        else:
            lines.append(f"{name} = {_toml(example)}")
    comment = "".join(f"# {line}\n" for line in lines)
    if field.default_factory is not None or _is_table(field):
        return comment
    return comment + f"{name} = {_toml(field.default)}\n"


def config_template(model: type[Settings] = Settings) -> str:
    """The commented settings file ``recall config init`` writes: every field of ``model`` at its default.

    Tables come last (commented out, so nothing appended to the file lands in one);
    loading the file back gives the defaults.
    """
    fields = sorted(model.model_fields.items(), key=lambda item: _is_table(item[1]))
    return "\n".join([_TEMPLATE_HEADER, *(_template_entry(name, field) for name, field in fields)])


DEFAULT_CONFIG_TEXT = config_template()
"""A commented template of every setting at its default (for ``recall config init``)."""
