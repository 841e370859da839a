"""Settings from config.toml: defaults, every refusal, overrides, the template."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pydantic import Field
from typer.testing import CliRunner

from recall import clock
from recall.cli import app
from recall.config import DEFAULT_CONFIG_TEXT, ConfigError, Settings, config_template, load_settings


@pytest.fixture(autouse=True)
def tokyo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend the machine is in Tokyo, so the default zone is known and not this machine's."""
    monkeypatch.setattr(clock, "local_timezone_name", lambda: "Asia/Tokyo")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


DEFAULTS = {
    "timezone": "Asia/Tokyo",
    "rollover_hour": 4,
    "new_per_day": 10,
    "reviews_per_day": 200,
    "min_words": 4,
    "grade_preset": "four",
    "prompt": "cloze",
    "drills": True,
    "highlight_folders": [],
    "review_log": "recall-log",
    "keymap": {},
}


def test_defaults() -> None:
    assert Settings().model_dump() == DEFAULTS


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nowhere.toml") == Settings()


def test_default_path_is_config_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "rollover_hour = 6\n")
    monkeypatch.setenv("RECALL_CONFIG", str(path))
    assert load_settings().rollover_hour == 6
    monkeypatch.delenv("RECALL_CONFIG")
    monkeypatch.setenv("RECALL_HOME", str(tmp_path))
    assert load_settings().rollover_hour == 6
    monkeypatch.setenv("RECALL_HOME", str(tmp_path / "empty"))
    assert load_settings() == Settings()


def test_every_key_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
timezone = "America/New_York"
rollover_hour = 0
new_per_day = 0
reviews_per_day = 50
grade_preset = "four"
drills = false

[keymap]
quit = "q,ctrl+q"
grade_good = "space"
""",
    )
    assert load_settings(path) == Settings(
        timezone="America/New_York",
        rollover_hour=0,
        new_per_day=0,
        reviews_per_day=50,
        grade_preset="four",
        drills=False,
        keymap={"quit": "q,ctrl+q", "grade_good": "space"},
    )


@pytest.mark.parametrize(
    ("text", "key", "allowed"),
    [
        ("rollover_hour = 25", "rollover_hour", "from 0 to 23, got 25"),
        ("rollover_hour = -1", "rollover_hour", "from 0 to 23"),
        ('rollover_hour = "4"', "rollover_hour", 'got "4"'),
        ("rollover_hour = 4.0", "rollover_hour", "whole number"),
        ("rollover_hour = true", "rollover_hour", "got true"),
        ("new_per_day = -5", "new_per_day", "from 0 to 1,000,000, got -5"),
        ("reviews_per_day = 99999999999999999999999", "reviews_per_day", "from 0 to 1,000,000, got 9999"),
        ("new_per_day = false", "new_per_day", "whole number"),
        ("reviews_per_day = 2.5", "reviews_per_day", "from 0 to 1,000,000"),
        ('grade_preset = "anki"', "grade_preset", '"sm2", "four"'),
        ('drills = "yes"', "drills", "true or false"),
        ("drills = 1", "drills", "true or false"),
        ('timezone = "Mars/Olympus"', "timezone", "IANA"),
        ('timezone = "Europe"', "timezone", "IANA"),
        ('timezone = ""', "timezone", "IANA"),
        ("timezone = 1", "timezone", "IANA"),
        ("keymap = 3", "keymap", "table"),
        ("[keymap]\nquit = 3", "keymap.quit", "key name"),
        ('[keymap]\nquit = ""', "keymap.quit", "key name"),
        ('[keymap]\nquit = ["q"]', "keymap.quit", "got a list"),
        ('[keymap]\nnosuch = "x"', "keymap has no binding called \"nosuch\"", "grade_again, grade_easy"),
        ('[keymap]\n"[b]bogus[/b]" = "z"', "keymap has no binding called \"[b]bogus[/b]\"", "stats_close"),
        ("colour = 1", "'colour'", "rollover_hour"),
        ("[review]\nfoo = 1", "'review'", "the settings are"),
    ],
)
def test_invalid_values_name_file_and_key(tmp_path: Path, text: str, key: str, allowed: str) -> None:
    path = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert str(path) in message
    assert key in message
    assert allowed in message


def test_message_format(tmp_path: Path) -> None:
    path = write(tmp_path, "rollover_hour = 25\n")
    with pytest.raises(ConfigError, match=r"config\.toml: rollover_hour must be a whole number from 0 to 23, got 25$"):
        load_settings(path)


def test_invalid_toml(tmp_path: Path) -> None:
    path = write(tmp_path, "rollover_hour = = 4\n")
    with pytest.raises(ConfigError, match="invalid TOML") as caught:
        load_settings(path)
    assert str(path) in str(caught.value)


def test_not_utf8_and_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"timezone = \"\xff\"\n")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_settings(path)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(folder)


def test_config_error_is_a_value_error() -> None:
    assert issubclass(ConfigError, ValueError)


def test_overrides() -> None:
    base = Settings()
    changed = base.with_overrides(rollover_hour=2, timezone="Europe/Paris", new_per_day=None, drills=False)
    assert (changed.rollover_hour, changed.timezone, changed.drills) == (2, "Europe/Paris", False)
    assert changed.new_per_day == 10  # None means "not given"
    assert base.rollover_hour == 4  # the original is untouched
    assert base.with_overrides() == base


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"rollover_hour": 24}, "rollover_hour"),
        ({"timezone": "Nowhere"}, "timezone"),
        ({"grade_preset": "x"}, "grade_preset"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_overrides_are_checked(overrides: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        Settings().with_overrides(**overrides)


def test_direct_construction_is_checked_too() -> None:
    with pytest.raises(ConfigError, match="reviews_per_day"):
        Settings(reviews_per_day=-1)


def test_keymap_is_copied() -> None:
    keys = {"quit": "q"}
    settings = Settings(keymap=keys)
    keys["quit"] = "x"
    assert settings.keymap == {"quit": "q"}


def test_default_config_text_is_the_defaults(tmp_path: Path) -> None:
    parsed = tomllib.loads(DEFAULT_CONFIG_TEXT)
    expected = {key: value for key, value in DEFAULTS.items() if key not in ("timezone", "keymap")}
    assert parsed == expected
    assert "timezone" in DEFAULT_CONFIG_TEXT and "# [keymap]" in DEFAULT_CONFIG_TEXT  # documented, commented out
    assert load_settings(write(tmp_path, DEFAULT_CONFIG_TEXT)) == Settings()
    # a line appended to the file is a setting, not a key of an open [keymap] table
    appended = load_settings(write(tmp_path, DEFAULT_CONFIG_TEXT.replace("new_per_day = 10\n", "") + "new_per_day = 5\n"))
    assert appended.new_per_day == 5


def test_default_config_text_mentions_every_setting() -> None:
    for key in DEFAULTS:
        assert key in DEFAULT_CONFIG_TEXT


def test_importing_config_does_not_load_pendulum() -> None:
    probe = "import json, sys, recall.config; print(json.dumps('pendulum' in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) is False


def test_highlight_folders_must_be_a_list_of_folder_names(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, 'highlight_folders = ["Reading/Clippings"]\n')).highlight_folders == ["Reading/Clippings"]
    for bad in ('"Reading"', '[""]', "[1]"):
        with pytest.raises(ConfigError, match="highlight_folders must be a list of vault-relative folder names"):
            load_settings(write(tmp_path, f"highlight_folders = {bad}\n"))


def test_review_log_is_a_folder_inside_the_vault_or_absolute(tmp_path: Path) -> None:
    for good in ('"recall-log"', '"Meta/recall log"', '"./log"', '"/srv/sync/recall-log"', '"~/Sync/recall-log"'):
        assert load_settings(write(tmp_path, f"review_log = {good}\n")).review_log == tomllib.loads(f"v = {good}")["v"]
    for bad in ('""', '"  "', '"."', '".."', '"log/../.."', "1", '["recall-log"]'):
        with pytest.raises(ConfigError, match="review_log must be a folder: relative to the vault imported first"):
            load_settings(write(tmp_path, f"review_log = {bad}\n"))


class MoreSettings(Settings):
    """Settings with two more, as a new setting would be added: one field each, nothing else."""

    theme: str = Field(default="dark", description='Colours of the review app:\n"dark" or "light".')
    cards_per_screen: int = Field(default=3, ge=1, le=9, description="Highlights shown at once (1 to 9).")


def template_values(model: type[Settings]) -> dict[str, object]:
    """What the template of ``model`` should set: every default but computed ones and tables."""
    return {
        name: field.default
        for name, field in model.model_fields.items()
        if field.default_factory is None and not isinstance(field.default, dict)
    }


@pytest.mark.parametrize("model", [Settings, MoreSettings])
def test_the_template_comes_from_the_fields(tmp_path: Path, model: type[Settings]) -> None:
    template = config_template(model)
    for name, field in model.model_fields.items():
        assert name in template
        assert field.description
        for line in field.description.splitlines():
            assert f"# {line}" in template
    assert tomllib.loads(template) == template_values(model)
    assert model(**tomllib.loads(template)) == model()
    # the file still ends with the commented [keymap] example, so an appended line is a setting
    assert template.rstrip().splitlines()[-2:] == ["# [keymap]", '# quit = "q,ctrl+q"']
    assert tomllib.loads(template + 'timezone = "UTC"\n')["timezone"] == "UTC"


def test_a_new_setting_is_in_the_template_before_the_keymap() -> None:
    template = config_template(MoreSettings)
    assert '# Colours of the review app:\n# "dark" or "light".\ntheme = "dark"\n' in template
    assert "# Highlights shown at once (1 to 9).\ncards_per_screen = 3\n" in template
    assert template.index("cards_per_screen = 3") < template.index("# [keymap]")


def test_the_template_of_settings_is_the_default_config_text() -> None:
    assert config_template() == DEFAULT_CONFIG_TEXT


def test_a_new_setting_is_checked_and_named_in_messages(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^settings: cards_per_screen must be a whole number from 1 to 9, got 0$"):
        MoreSettings(cards_per_screen=0)
    with pytest.raises(ConfigError, match=r"^settings: theme must be a valid string, got 1$"):
        MoreSettings(theme=1)
    with pytest.raises(ConfigError, match="the settings are: .*keymap, theme, cards_per_screen$"):
        MoreSettings(colour="red")
    assert MoreSettings().with_overrides(cards_per_screen=9).cards_per_screen == 9


def test_a_new_setting_is_in_config_show(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("recall.config.load_settings", lambda: MoreSettings(theme="light"))
    shown = CliRunner().invoke(app, ["config", "show"])
    assert shown.exit_code == 0, shown.output
    assert 'theme = "light"\n' in shown.stdout and "cards_per_screen = 3\n" in shown.stdout
    assert 'timezone = "Asia/Tokyo"\n' in shown.stdout
    as_json = json.loads(CliRunner().invoke(app, ["config", "show", "--json"]).stdout)
    assert as_json == DEFAULTS | {"theme": "light", "cards_per_screen": 3}


def test_every_setting_declares_what_the_template_and_messages_need() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, name
        if field.default_factory is not None or isinstance(field.default, dict):
            assert field.examples, f"{name} is only shown commented out, so it needs an example"
        if field.annotation is int:
            bounds = {type(bound).__name__ for bound in field.metadata}
            assert {"Ge", "Le"} <= bounds, f"{name}: whole-number settings declare both bounds"


WRONG_KINDS = ["1979-05-27T07:32:00Z", "{ quit = 1 }", '["x", 1]', "2.5", "-1", '"  "', "true", '"4"']


@pytest.mark.parametrize("key", list(DEFAULTS))
@pytest.mark.parametrize("value", WRONG_KINDS)
def test_a_bad_value_of_every_kind_is_one_line_naming_the_key(tmp_path: Path, key: str, value: str) -> None:
    path = write(tmp_path, f"{key} = {value}\n")
    try:
        settings = load_settings(path)
    except ConfigError as error:
        message = str(error)
        assert message.startswith(f"{path}: {key}") and " must be " in message and ", got " in message, message
        assert "\n" not in message
        assert "Input should" not in message and "pydantic" not in message
    else:  # only a value of the right kind may pass
        assert type(getattr(settings, key)) is type(DEFAULTS[key]), (key, value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1\nrollover_hour = 25", "unknown setting 'colour'"),
        ("rollover_hour = 25\ncolour = 1", "rollover_hour must be"),
        ('drills = 3\ntimezone = "Nowhere"', "drills must be true or false, got 3"),
        ('grade_preset = ["sm2"]', 'grade_preset must be one of "sm2", "four", got a list'),
        ("where = 1", "unknown setting 'where'"),
    ],
)
def test_the_first_bad_key_in_the_file_is_reported(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError, match="^" + re.escape(f"{path}: {message}")):
        load_settings(path)


def test_overrides_say_command_line() -> None:
    with pytest.raises(ConfigError, match=r"^command line: rollover_hour must be a whole number from 0 to 23, got 24$"):
        Settings().with_overrides(rollover_hour=24)
    with pytest.raises(ConfigError, match=r"^command line: unknown setting 'colour'; the settings are: timezone, "):
        Settings().with_overrides(colour="red")


def test_settings_are_immutable() -> None:
    settings = Settings()
    with pytest.raises(ValueError, match="frozen"):
        settings.rollover_hour = 5
    assert settings.rollover_hour == 4
