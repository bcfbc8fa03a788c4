"""The packaged extension in real VS Code (code-server in headless Chromium), as a person uses it.

scripts/setup-e2e-vscode.sh installs what this needs and builds the .vsix; client-vscode/e2e/driver.mjs
drives the editor and writes what it saw as JSON; this test checks those observations. Screenshots of
every step land in test-artifacts/vscode/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "client-vscode"
ARTIFACTS = ROOT / "test-artifacts" / "vscode"
SAMPLE = ROOT / "samples" / "errors" / "LY101_swallowed_exception.py"
STEPS = [
    "01-squiggles", "02-problems", "03-hover", "04-quick-fix-menu", "05-fix-applied", "06-suppress-prompt",
    "07-suppressed", "07b-marked-reviewed", "07c-analysed-workspace", "08-explain-rule", "09-cannot-start",
    "10-show-log", "11-server-exits",
]
# The README shows two of the screenshots; LEERY_E2E_UPDATE_SCREENSHOTS=1 refreshes them.
README_IMAGES = {"02-problems": "problems.png", "04-quick-fix-menu": "quick-fix.png"}

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]


def e2e_env() -> dict:
    env_file = CLIENT / ".e2e-env.json"
    if not env_file.exists():
        pytest.fail("the VS Code e2e set-up is missing: run `bash scripts/setup-e2e-vscode.sh`")
    return json.loads(env_file.read_text())


def vsix() -> Path:
    version = json.loads((CLIENT / "package.json").read_text())["version"]
    path = CLIENT / f"leery-{version}.vsix"
    assert path.exists(), f"{path.name} is not built: run `bash scripts/setup-e2e-vscode.sh`"
    return path


def rows(problems: list[dict], code: str, line: int) -> list[dict]:
    return [r for r in problems if code in r["text"] and f"[Ln {line}," in r["text"]]


def plain(markdown: str) -> str:
    return markdown.replace("`", "")


def stop_leftover_code_server(artifacts: Path) -> None:
    """The driver stops code-server itself; if the driver was killed, its pid file is left: stop it here."""
    pid_file = artifacts / "code-server.pid"
    if not pid_file.exists():
        return
    info = json.loads(pid_file.read_text())
    pid_file.unlink()
    try:
        cmdline = Path(f"/proc/{info['pid']}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return  # already gone
    if info["work"] in cmdline:  # the same process, not a recycled pid
        os.killpg(info["pid"], signal.SIGKILL)
    shutil.rmtree(info["work"], ignore_errors=True)


def drive(work: Path, artifacts: Path, *extra: str) -> dict:
    """Runs the driver with its own artifacts folder (helpers may run the suite at the same time),
    then copies that folder to `artifacts` under test-artifacts/, failing or not."""
    env = e2e_env()
    out, own = work / "observations.json", work / "artifacts"
    cmd = [
        env["node"], str(CLIENT / "e2e" / "driver.mjs"), "--vsix", str(vsix()), "--code-server", env["codeServer"],
        "--node", env["node"], "--chromium", env["chromium"], "--sample", str(SAMPLE),
        "--artifacts", str(own), "--out", str(out), *extra,
    ]
    try:
        proc = subprocess.run(cmd, cwd=CLIENT, capture_output=True, text=True, timeout=800)
    finally:
        stop_leftover_code_server(own)
        shutil.rmtree(artifacts, ignore_errors=True)
        if own.exists():
            shutil.copytree(own, artifacts, dirs_exist_ok=True)
    assert out.exists(), f"the driver wrote no observations:\n{proc.stdout}\n{proc.stderr}"
    observations = json.loads(out.read_text())
    assert proc.returncode == 0 and observations.get("ok"), (
        f"failed at step {observations.get('failedStep')}: {observations.get('error')}\n"
        f"screenshots and logs: {artifacts}\n{proc.stdout[-3000:]}"
    )
    observations["artifacts"] = str(own)
    return observations


@pytest.fixture(scope="module")
def seen(tmp_path_factory) -> dict:
    observations = drive(tmp_path_factory.mktemp("vscode"), ARTIFACTS)
    if os.environ.get("LEERY_E2E_UPDATE_SCREENSHOTS"):
        for step, name in README_IMAGES.items():
            shutil.copy(Path(observations["artifacts"]) / f"{step}.png", CLIENT / "images" / name)
    return observations


def test_every_step_left_a_screenshot(seen):
    for step in STEPS:
        assert (Path(seen["artifacts"]) / f"{step}.png").stat().st_size > 10_000, step


def test_squiggles_problems_panel_and_status_bar(seen):
    assert seen["squiggles"] >= 1
    line = seen["fixLine"]
    found = rows(seen["problems"], "LY101", line)
    assert found, seen["problems"]
    assert "leery" in found[0]["text"] and "swallows every error" in found[0]["text"]
    count = re.match(r"leery: (\d+) open risks? in this file, (\d+) open risks? in the workspace", seen["status"]["label"])
    assert count and int(count.group(1)) >= 1 and int(count.group(2)) >= int(count.group(1)), seen["status"]


def test_hover_explains_the_rule(seen):
    from leery.core.registry import load_rules

    rule = load_rules().get("LY101")
    hover = seen["hover"]
    assert "LY101" in hover and rule.name in hover
    assert plain(rule.summary) in hover
    assert "Why it matters" in hover and plain(rule.section("Why it matters")).split("\n")[0][:60] in hover


def test_quick_fix_menu_offers_the_fix_and_the_suppression(seen):
    labels = seen["quickFixes"]
    assert any("Re-raise the exception" in label and "unsafe" in label for label in labels), labels
    assert any(label.startswith("Suppress LY101 on this line") for label in labels), labels


def test_applying_the_fix_changes_the_text_and_the_problem_goes(seen):
    line = seen["fixLine"]
    assert seen["linesBefore"][str(line + 1)].strip() == "pass"
    assert seen["linesAfterFix"][str(line + 1)].strip() == "raise"
    assert not rows(seen["problemsAfterFix"], "LY101", line)
    # Only that finding went: the next one is still listed.
    assert rows(seen["problemsAfterFix"], "LY101", seen["suppressLine"])


def test_suppress_with_a_reason_prompts_and_inserts_the_comment(seen):
    line = seen["suppressLine"]
    assert seen["suppressPrompt"] == f"leery: Suppress LY101 on line {line}"
    text = seen["linesAfterSuppress"][str(line)]
    assert re.search(r"# leery: ignore\[LY101\]\W+" + re.escape(seen["suppressReason"]), text), text
    assert not rows(seen["problemsAfterSuppress"], "LY101", line)


def test_mark_reviewed_asks_for_a_reason_and_records_it(seen):
    line = seen["reviewLine"]
    record = seen["reviewRecord"]
    assert 'code = "LY101"' in record and f'reason = "{seen["reviewReason"]}"' in record, record
    assert not rows(seen["problemsAfterReview"], "LY101", line)


def test_analyse_workspace_reports_files_nobody_opened(seen):
    assert re.match(r"leery: analysed [2-9]\d* files, [1-9]\d* findings?\.", seen["analyseMessage"]), seen["analyseMessage"]
    assert any("unopened.py" in r["text"] for r in seen["problemsAfterAnalyse"])
    assert rows(seen["problemsAfterAnalyse"], "LY101", 7), "unopened.py's swallowed exception (line 7)"


def test_explain_rule_picks_from_the_rule_list_and_shows_the_page(seen):
    from leery.core.registry import load_rules

    rule = load_rules().get("LY101")
    assert seen["ruleRowsShown"] >= 5
    assert f"{rule.code} {rule.name}" in seen["explanation"]
    assert "What it does" in seen["explanation"] and plain(rule.summary) in seen["explanation"]


def test_one_clear_notification_with_show_log_when_nothing_can_start(seen):
    note = seen["notification"]
    assert "no Python 3.11 or newer to run the leery server" in note and "/nonexistent/python3" in note, note
    assert "Show log" in note
    log_text = " ".join(seen["logAfterShowLog"].split())  # the Output view wraps long lines
    assert "/nonexistent/python3 (from leery.interpreter): not found" in log_text


def test_a_server_that_exits_at_once_gives_one_notification(seen):
    assert "leery: the leery server did not start" in seen["exitNotification"], seen["exitNotification"]
    assert "Check the leery.path setting" in seen["exitNotification"] and "Show log" in seen["exitNotification"]
    assert seen["toastsAfterExit"] == 1


def test_untrusted_folder_runs_the_bundle_whatever_its_settings_say(tmp_path):
    # The folder's .vscode/settings.json names a missing interpreter, `leery.path: /bin/false` and
    # fromEnvironment: honoured, any of them would stop the server. Restricted Mode ignores them.
    seen = drive(tmp_path, ROOT / "test-artifacts" / "vscode-untrusted", "--untrusted")
    assert seen["restrictedMode"] == "Restricted Mode"
    assert seen["squiggles"] >= 1
    log = " ".join(seen["log"].split())
    assert "from PATH: python3" in log and "starting: python3 -m leery serve (useBundled)" in log, log
    assert "/nonexistent" not in log and "/bin/false" not in log
