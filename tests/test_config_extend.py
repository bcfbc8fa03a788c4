"""Shared configuration: `extend` chains (paths and `pkg:` files of an installed distribution),
cycles refused, and `leery config show` naming where each value came from.

The `pkg:` tests build a real wheel, install it with pip into a temporary --target folder and
run leery with that folder on PYTHONPATH, so importlib.metadata finds it like any installed
distribution. Its `__init__.py` raises: reading its config must never import it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from clihelp import leery
from gitrepo import make_repo

ORG_TOML = 'extend = "base.toml"\nextend-select = ["F541"]\n[review]\nshow = "hint"\n'
BASE_TOML = 'select = ["F4"]\nexclude = ["generated"]\n'


def _wheel(folder: Path) -> Path:
    files = {
        "acme_lint_config/__init__.py": 'raise RuntimeError("leery imported a package to read its config")\n',
        "acme_lint_config/leery.toml": ORG_TOML,
        "acme_lint_config/base.toml": BASE_TOML,
        "acme_lint_config-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: acme-lint-config\nVersion: 1.0\n",
        "acme_lint_config-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: leery-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for name, text in files.items():
        data = text.encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append("acme_lint_config-1.0.dist-info/RECORD,,")
    files["acme_lint_config-1.0.dist-info/RECORD"] = "\n".join(record) + "\n"
    path = folder / "acme_lint_config-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A folder where pip installed the acme-lint-config distribution."""
    work = tmp_path_factory.mktemp("dist")
    target = work / "site"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check", "--target", str(target), str(_wheel(work))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (target / "acme_lint_config-1.0.dist-info" / "RECORD").is_file()
    return target


def with_site(site: Path) -> dict[str, str]:
    paths = [str(site), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {"PYTHONPATH": os.pathsep.join(paths)}


def show(repo: Path, env: dict | None = None) -> dict:
    result = leery("config", "show", "--json", cwd=repo, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def values(report: dict) -> dict[str, tuple]:
    return {v["key"]: (v["value"], v["from"]) for v in report["values"]}


def test_pkg_extend_from_an_installed_distribution(tmp_path, site):
    repo = make_repo(
        tmp_path / "repo",
        {
            "pyproject.toml": '[tool.leery]\nextend = "pkg:acme-lint-config/acme_lint_config/leery.toml"\nextend-select = ["F841"]\n',
            "app.py": 'import os\n\n\ndef f():\n    x = 1\n    return f"done"\n',
            "generated/skip.py": "import sys\n",
        },
    )
    env = with_site(site)
    result = leery("check", "--format", "json", cwd=repo, env=env)
    assert result.returncode == 1, result.stderr
    assert sorted((d["code"], d["line"]) for d in json.loads(result.stdout)) == [("F401", 1), ("F541", 6), ("F841", 5)]
    report = show(repo, env)
    installed = site / "acme_lint_config"
    assert [f["path"] for f in report["files"]] == [str(installed / "base.toml"), str(installed / "leery.toml"), str(repo / "pyproject.toml")]
    assert [f["named_as"] for f in report["files"]] == ["base.toml", "pkg:acme-lint-config/acme_lint_config/leery.toml", "found"]
    v = values(report)
    assert v["select"] == (["F4"], str(installed / "base.toml"))
    assert v["extend-select"] == (["F541", "F841"], [str(installed / "leery.toml"), str(repo / "pyproject.toml")])
    assert v["review.show"] == ("hint", str(installed / "leery.toml"))
    assert v["baseline.enabled"] == (True, "default")
    text = leery("config", "show", cwd=repo, env=env).stdout
    assert f'"F841"  from {repo / "pyproject.toml"}' in text and "extend = 'pkg:acme-lint-config/acme_lint_config/leery.toml'" in text


def test_pkg_extend_errors_are_clear(tmp_path, site):
    repo = make_repo(tmp_path / "repo", {"leery.toml": 'extend = "pkg:acme-lint-config/acme_lint_config/nope.toml"\n', "a.py": "x = 1\n"})
    wrong_file = leery("check", cwd=repo, env=with_site(site))
    assert wrong_file.returncode == 2
    assert "acme-lint-config has no file 'acme_lint_config/nope.toml'" in wrong_file.stderr
    assert "acme_lint_config/leery.toml" in wrong_file.stderr  # it lists what the distribution ships
    not_installed = leery("check", cwd=repo)  # without the site folder on the path
    assert not_installed.returncode == 2 and "no distribution 'acme-lint-config' is installed" in not_installed.stderr
    (repo / "leery.toml").write_text('extend = "pkg:acme-lint-config"\n')
    malformed = leery("check", cwd=repo, env=with_site(site))
    assert malformed.returncode == 2 and "expected pkg:DISTRIBUTION/path/in/it.toml" in malformed.stderr
    assert "Traceback" not in wrong_file.stderr + not_installed.stderr + malformed.stderr


def test_path_chain_and_origins(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "org.toml").write_text('select = ["F"]\nexclude = ["build"]\n[severity]\nF401 = "error"\n')
    (shared / "team.toml").write_text('extend = "org.toml"\nexclude = ["vendor"]\n[severity]\nF841 = "info"\n')
    repo = make_repo(tmp_path / "repo", {"leery.toml": f'extend = "{(shared / "team.toml").as_posix()}"\nignore = ["F541"]\n[severity]\nF401 = "warning"\n', "a.py": "import os\n"})
    v = values(show(repo))
    assert v["exclude"] == (["build", "vendor"], [str(shared / "org.toml"), str(shared / "team.toml")])
    assert v["severity.F401"] == ("warning", str(repo / "leery.toml"))  # the project's file wins
    assert v["severity.F841"] == ("info", str(shared / "team.toml"))
    assert v["ignore"] == (["F541"], str(repo / "leery.toml"))
    result = leery("check", "--format", "json", cwd=repo)
    assert [(d["code"], d["severity"]) for d in json.loads(result.stdout)] == [("F401", "warning")]


def test_cycle_is_refused_with_the_chain(tmp_path):
    repo = make_repo(tmp_path / "repo", {"leery.toml": 'extend = "configs/a.toml"\n', "configs/a.toml": 'extend = "b.toml"\n', "configs/b.toml": 'extend = "a.toml"\n', "x.py": "x = 1\n"})
    for args in (("check",), ("config", "show")):
        result = leery(*args, cwd=repo)
        assert result.returncode == 2, result.stdout
        assert "extend each other in a cycle" in result.stderr
        assert "a.toml -> " in result.stderr and "b.toml -> " in result.stderr
        assert "Traceback" not in result.stderr


def test_show_without_config_prints_defaults(tmp_path):
    report = show(tmp_path)
    assert report["files"] == []
    assert values(report)["review.show"] == ("hidden", "default")
    assert "F401" in report["enabled"]
