"""Configuration: discovery, extend chains and cycles, selection precedence, validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from leery.core.config import ConfigError, Settings, find_config_file, load_settings


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_nearest_config_wins_and_pyproject_without_table_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.leery]\nselect = ["F"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config_file(tmp_path / "sub") == (tmp_path / "pyproject.toml").resolve()
    write(tmp_path / "sub" / "leery.toml", 'select = ["LY0"]\n')
    assert find_config_file(tmp_path / "sub") == (tmp_path / "sub" / "leery.toml").resolve()


def test_extend_chain_merges_base_first(tmp_path):
    write(tmp_path / "base.toml", 'select = ["F"]\nignore = ["F401"]\n[severity]\nF821 = "warning"\n')
    write(tmp_path / "mid.toml", 'extend = "base.toml"\nextend-select = ["LY0"]\n')
    write(tmp_path / "proj" / "leery.toml", 'extend = "../mid.toml"\nignore = ["F841"]\n')
    s = load_settings(tmp_path / "proj")
    assert s.select == ["F"]
    assert s.ignore == ["F841"]  # replaced, not merged
    assert s.extend_select == ["LY0"]
    enabled = s.enabled_codes()
    assert "F401" in enabled and "F841" not in enabled and "LY001" in enabled
    assert s.severity["F821"].value == "warning"
    assert s.origins["select"].endswith("base.toml") and s.origins["ignore"].endswith("leery.toml")


def test_extend_cycle_is_refused(tmp_path):
    write(tmp_path / "a.toml", 'extend = "b.toml"\n')
    write(tmp_path / "b.toml", 'extend = "a.toml"\n')
    with pytest.raises(ConfigError, match="cycle"):
        load_settings(tmp_path, config_file=tmp_path / "a.toml")


def test_extend_missing_file(tmp_path):
    write(tmp_path / "leery.toml", 'extend = "nope.toml"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path)
    assert err.value.key == "extend" and "does not exist" in err.value.message


def test_more_specific_selector_wins():
    s = Settings(select=["F"], ignore=["F4"], extend_select=["F401"])
    enabled = s.enabled_codes()
    assert "F401" in enabled and "F403" not in enabled and "F821" in enabled


def test_ignore_wins_a_tie():
    assert "F401" not in Settings(select=["F401"], ignore=["F401"]).enabled_codes()


@pytest.mark.parametrize(
    "text, key",
    [
        ("select = 1\n", "select"),
        ('select = ["NOPE1"]\n', "select"),
        ("[severity]\nF401 = 'loud'\n", "severity.F401"),
        ("[per-file-ignores]\n'x.py' = 'F401'\n", "per-file-ignores.x.py"),
        ("colour = true\n", "colour"),
    ],
)
def test_validation_names_the_key(tmp_path, text, key):
    write(tmp_path / "leery.toml", text)
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path)
    assert err.value.key == key
    assert err.value.path.endswith("leery.toml")


def test_editor_overrides_are_validated_and_layered(tmp_path):
    write(tmp_path / "leery.toml", 'select = ["F"]\n')
    s = load_settings(tmp_path).with_overrides({"ignore": ["F401"]})
    assert "F401" not in s.enabled_codes() and "F821" in s.enabled_codes()
    assert s.origins["ignore"] == "editor"
    with pytest.raises(ConfigError):
        s.with_overrides({"select": "F"})
