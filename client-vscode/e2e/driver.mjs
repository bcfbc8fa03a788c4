// End-to-end run of the packaged extension in real VS Code: code-server in headless Chromium.
//
//   node e2e/driver.mjs --vsix leery-0.1.0.vsix --code-server .../entry.js --node .../node \
//     --chromium /usr/bin/chromium --sample ../samples/errors/LY101_swallowed_exception.py \
//     --artifacts ../test-artifacts/vscode --out observations.json
//
// Installs the .vsix into a fresh code-server, opens a folder holding a copy of the sample and
// walks through what a person would do, saving a screenshot of each step. It waits for DOM
// conditions (never fixed sleeps) and writes what it saw to --out as JSON; tests/e2e/test_vscode.py
// checks that. Exit code 1 when a step did not happen (the JSON then has "error" and "failedStep").

import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

const { values: opt } = parseArgs({
  options: {
    vsix: { type: "string" },
    "code-server": { type: "string" },
    node: { type: "string", default: process.execPath },
    chromium: { type: "string", default: "/usr/bin/chromium" },
    sample: { type: "string" },
    artifacts: { type: "string" },
    out: { type: "string" },
    timeout: { type: "string", default: "90000" },
    keep: { type: "boolean", default: false },
    // Restricted Mode: the folder's own interpreter/path/importStrategy settings must be ignored.
    untrusted: { type: "boolean", default: false },
  },
});
for (const required of ["vsix", "code-server", "sample", "artifacts", "out"]) {
  if (!opt[required]) {
    console.error(`missing --${required}`);
    process.exit(2);
  }
}

const TIMEOUT = Number(opt.timeout);
// The text editor of the editor area (the workbench has other Monaco editors, e.g. chat input).
const EDITOR = ".part.editor .monaco-editor";
const artifacts = resolve(opt.artifacts);
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "leery-e2e-vscode-"));
const userData = join(work, "user-data");
const extensionsDir = join(work, "extensions");
const folder = join(work, "project");
const sampleName = basename(opt.sample);
mkdirSync(join(userData, "User"), { recursive: true });
mkdirSync(folder, { recursive: true });
copyFileSync(opt.sample, join(folder, sampleName));
// A quiet, predictable workbench: no welcome page, tips or minimap in the screenshots.
writeFileSync(
  join(userData, "User", "settings.json"),
  JSON.stringify({
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "extensions.ignoreRecommendations": true,
    "editor.minimap.enabled": false,
    "editor.hover.delay": 300,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    // Untrusted runs open the folder in Restricted Mode without the start-up dialog.
    "security.workspace.trust.startupPrompt": "never",
    "chat.disableAIFeatures": true,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
  }),
);
if (opt.untrusted) {
  // Settings that would run another program (or none) if a folder could choose them.
  mkdirSync(join(folder, ".vscode"), { recursive: true });
  writeFileSync(
    join(folder, ".vscode", "settings.json"),
    JSON.stringify({
      "leery.interpreter": "/nonexistent/python3",
      "leery.path": "/bin/false",
      "leery.importStrategy": "fromEnvironment",
    }),
  );
}
const config = join(work, "config.yaml");
writeFileSync(config, "auth: none\n");

const observations = { sample: sampleName, steps: [], screenshots: [], seconds: {} };
let stepStarted = Date.now();
let step = "start";
const pidFile = join(artifacts, "code-server.pid");
let codeServer;
let context;

function log(message) {
  console.log(`[e2e ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function waitForHealth(url) {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    if (codeServer.exitCode !== null) {
      throw new Error(`code-server exited with ${codeServer.exitCode}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250)); // polling a port: there is no event to wait for
  }
  throw new Error(`no answer from ${url}`);
}

async function shot(page, name) {
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path });
  observations.screenshots.push(path);
}

function begin(name) {
  observations.seconds[step] = (Date.now() - stepStarted) / 1000;
  stepStarted = Date.now();
  step = name;
  observations.steps.push(name);
  log(name);
}

/** The editor's rendered lines as {line number: text} (Monaco renders spaces as U+00A0). */
async function editorLines(page) {
  return page.evaluate(() => {
    const editor = document.querySelector(".part.editor .monaco-editor");
    const byTop = new Map();
    for (const number of editor.querySelectorAll(".margin-view-overlays .line-numbers")) {
      byTop.set(Math.round(number.parentElement.getBoundingClientRect().top), Number(number.textContent));
    }
    const lines = {};
    for (const line of editor.querySelectorAll(".view-lines .view-line")) {
      const top = Math.round(line.getBoundingClientRect().top);
      if (byTop.has(top)) {
        lines[byTop.get(top)] = line.textContent.replace(/\u00a0/g, " ");
      }
    }
    return lines;
  });
}

async function problemRows(page) {
  return page.$$eval(".markers-panel .monaco-list-row", (rows) =>
    rows.map((row) => ({ text: row.textContent.replace(/\u00a0/g, " "), label: row.getAttribute("aria-label") ?? "" })),
  );
}

/** Rows of the Problems panel for one finding (`code` at 1-based `line`). */
function rowFor(rows, code, line) {
  return rows.find((row) => row.text.includes(code) && row.text.includes(`[Ln ${line},`));
}

async function goTo(page, line, column) {
  // Quick Open with ":" is Go to Line (Ctrl+G is taken by the browser in code-server).
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: TIMEOUT });
  await input.fill(`:${line}:${column}`);
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: `${line}` }).first().waitFor();
  await page.keyboard.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: TIMEOUT });
}

async function runCommand(page, title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: TIMEOUT });
  await input.fill(`>${title}`);
  const row = page.locator(".quick-input-widget .monaco-list-row", { hasText: title }).first();
  await row.waitFor({ state: "visible", timeout: TIMEOUT });
  await row.click();
}

async function main() {
  begin("install-extension");
  const install = spawnSync(
    opt.node,
    [opt["code-server"], "--user-data-dir", userData, "--extensions-dir", extensionsDir, "--install-extension", resolve(opt.vsix)],
    { encoding: "utf8", timeout: TIMEOUT },
  );
  observations.install = (install.stdout + install.stderr).trim().split("\n").slice(-3).join("\n");
  if (install.status !== 0) {
    throw new Error(`--install-extension failed: ${observations.install}`);
  }

  begin("start-code-server");
  const port = await freePort();
  codeServer = spawn(
    opt.node,
    [
      opt["code-server"], "--config", config, "--auth", "none", "--bind-addr", `127.0.0.1:${port}`,
      "--user-data-dir", userData, "--extensions-dir", extensionsDir, "--disable-telemetry",
      "--disable-update-check", ...(opt.untrusted ? [] : ["--disable-workspace-trust"]),
      "--disable-getting-started-override", folder,
    ],
    { stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  // If this driver is killed (a test timeout), the caller stops code-server from this file.
  writeFileSync(pidFile, JSON.stringify({ pid: codeServer.pid, work }));
  let serverLog = "";
  codeServer.stdout.on("data", (d) => (serverLog += d));
  codeServer.stderr.on("data", (d) => (serverLog += d));
  codeServer.on("exit", () => writeFileSync(join(artifacts, "code-server.log"), serverLog));
  await waitForHealth(`http://127.0.0.1:${port}/healthz`);

  begin("open-workbench");
  context = await chromium.launchPersistentContext(join(work, "chromium"), {
    executablePath: opt.chromium,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
    ],
  });
  context.setDefaultTimeout(TIMEOUT);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
  await page.locator(".monaco-workbench").waitFor({ state: "visible" });
  // The explorer lists the folder once the workbench has loaded it.
  await page.locator(".explorer-folders-view .monaco-list-row", { hasText: sampleName }).waitFor();

  begin("open-sample");
  await page.keyboard.press("Control+P");
  await page.locator(".quick-input-widget input").waitFor({ state: "visible" });
  await page.locator(".quick-input-widget input").fill(sampleName);
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: sampleName }).first().waitFor();
  await page.keyboard.press("Enter");
  await page.locator(EDITOR + " .view-lines", { hasText: "def load_config" }).waitFor();

  begin("squiggles");
  // The server starts, analyses and publishes: the warning squiggles appear.
  await page.locator(`${EDITOR} .squiggly-warning, ${EDITOR} .squiggly-error`).first().waitFor();
  observations.squiggles = await page.locator(`${EDITOR} .squiggly-warning, ${EDITOR} .squiggly-error`).count();
  const status = page.locator('.statusbar-item[aria-label*="open risk"]').first();
  await status.waitFor();
  await page.waitForFunction(() => {
    const item = document.querySelector('.statusbar-item[aria-label*="open risk"]');
    return item && /[1-9]/.test(item.getAttribute("aria-label"));
  });
  observations.status = { text: (await status.textContent()).trim(), label: await status.getAttribute("aria-label") };
  await shot(page, "01-squiggles");
  if (opt.untrusted) {
    await untrustedChecks(page);
    return;
  }

  begin("problems-panel");
  // Clicking leery's status bar item opens the Problems panel.
  await status.click();
  await page.locator(".markers-panel .monaco-list-row", { hasText: "LY101" }).first().waitFor();
  observations.problems = await problemRows(page);
  await shot(page, "02-problems");

  begin("hover");
  // Hover the mouse over the first squiggle, as a person would.
  const lines = await editorLines(page);
  observations.linesBefore = lines;
  const squiggle = page.locator(`${EDITOR} .squiggly-warning`).first();
  const box = await squiggle.boundingBox();
  await page.mouse.move(box.x + Math.min(box.width / 2, 40), box.y + box.height / 2);
  const hover = page.locator(".monaco-hover:not(.hidden)", { hasText: "Why it matters" }).first();
  await hover.waitFor({ state: "visible" });
  observations.hover = (await hover.textContent()).replace(/\u00a0/g, " ");
  await shot(page, "03-hover");
  await page.mouse.move(5, 400);
  await page.keyboard.press("Escape");
  await hover.waitFor({ state: "hidden" });

  // The first finding of the sample: its `except` line, and the handler line the fix rewrites.
  const exceptLine = Number(Object.keys(lines).find((n) => /except Exception:\s+# expect: LY101/.test(lines[n])));
  observations.fixLine = exceptLine;
  if (!exceptLine) {
    throw new Error("the sample's first `except Exception:` line is not on screen");
  }

  begin("quick-fix-menu");
  await goTo(page, exceptLine, 8);
  await page.keyboard.press("Control+.");
  const menuRows = page.locator(".action-widget .monaco-list-row");
  await menuRows.first().waitFor();
  await page.locator(".action-widget .monaco-list-row", { hasText: "Suppress" }).first().waitFor();
  observations.quickFixes = (await menuRows.allTextContents()).map((t) => t.replace(/\u00a0/g, " ").trim());
  await shot(page, "04-quick-fix-menu");

  begin("apply-fix");
  await page.locator(".action-widget .monaco-list-row", { hasText: "Re-raise" }).first().click();
  await page.waitForFunction(
    ([line]) => {
      const editor = document.querySelector(".part.editor .monaco-editor");
      const text = [...editor.querySelectorAll(".view-lines .view-line")].map((l) => l.textContent.replace(/\u00a0/g, " "));
      return text.some((t) => t.trim() === "raise") && line > 0;
    },
    [exceptLine],
  );
  // ...and the finding leaves the Problems panel.
  await page.waitForFunction(
    ([line]) =>
      ![...document.querySelectorAll(".markers-panel .monaco-list-row")].some(
        (row) => row.textContent.includes("LY101") && row.textContent.includes(`[Ln ${line},`),
      ),
    [exceptLine],
  );
  observations.linesAfterFix = await editorLines(page);
  observations.problemsAfterFix = await problemRows(page);
  await shot(page, "05-fix-applied");

  begin("suppress-with-reason");
  const after = observations.linesAfterFix;
  const bareLine = Number(Object.keys(after).find((n) => /^\s*except:\s+# expect: LY101/.test(after[n])));
  observations.suppressLine = bareLine;
  if (!bareLine || !rowFor(observations.problemsAfterFix, "LY101", bareLine)) {
    throw new Error("no LY101 finding on the sample's bare `except:` line to suppress");
  }
  await goTo(page, bareLine, 10);
  await runCommand(page, "leery: Suppress with a Reason");
  const prompt = page.locator(".quick-input-widget", { hasText: "Suppress LY101" });
  await prompt.waitFor({ state: "visible" });
  observations.suppressPrompt = (await prompt.locator(".quick-input-title").textContent()).trim();
  const reason = "the loop skips malformed lines on purpose";
  await page.locator(".quick-input-widget input").fill(reason);
  await shot(page, "06-suppress-prompt");
  await page.keyboard.press("Enter");
  await page.locator(EDITOR + " .view-lines", { hasText: `ignore[LY101]` }).waitFor();
  await page.waitForFunction(
    ([line]) =>
      ![...document.querySelectorAll(".markers-panel .monaco-list-row")].some(
        (row) => row.textContent.includes("LY101") && row.textContent.includes(`[Ln ${line},`),
      ),
    [bareLine],
  );
  observations.linesAfterSuppress = await editorLines(page);
  observations.problemsAfterSuppress = await problemRows(page);
  observations.suppressReason = reason;
  await shot(page, "07-suppressed");

  begin("mark-reviewed");
  const reviewLine = Number(
    Object.keys(observations.linesAfterSuppress).find((n) => /except \(ValueError, Exception\)/.test(observations.linesAfterSuppress[n])),
  );
  observations.reviewLine = reviewLine;
  if (!reviewLine || !rowFor(observations.problemsAfterSuppress, "LY101", reviewLine)) {
    throw new Error("no LY101 finding on the sample's `except (ValueError, Exception)` line to mark reviewed");
  }
  await goTo(page, reviewLine, 10);
  await runCommand(page, "leery: Mark Reviewed…");
  await page.locator(".quick-input-widget", { hasText: "Mark reviewed LY101" }).waitFor({ state: "visible" });
  const reviewReason = "prints the error and falls back to defaults; the caller shows it";
  await page.locator(".quick-input-widget input").fill(reviewReason);
  await page.keyboard.press("Enter");
  await page.waitForFunction(
    ([line]) =>
      ![...document.querySelectorAll(".markers-panel .monaco-list-row")].some(
        (row) => row.textContent.includes("LY101") && row.textContent.includes(`[Ln ${line},`),
      ),
    [reviewLine],
  );
  observations.reviewReason = reviewReason;
  observations.reviewRecord = readFileSync(join(folder, ".leery", "reviews.toml"), "utf8");
  observations.problemsAfterReview = await problemRows(page);
  await shot(page, "07b-marked-reviewed");

  begin("analyse-workspace");
  // A file nobody opened: Analyse Workspace reports it too.
  writeFileSync(
    join(folder, "unopened.py"),
    "import json\n\n\ndef load(text):\n    try:\n        return json.loads(text)\n    except Exception:\n        pass\n",
  );
  await runCommand(page, "leery: Analyse Workspace");
  await page.locator(".notifications-toasts .notification-toast", { hasText: "analysing the workspace" }).first().waitFor();
  observations.seconds.analyseStarted = (Date.now() - stepStarted) / 1000;
  const done = page.locator(".notifications-toasts .notification-toast", { hasText: "leery: analysed" }).first();
  await done.waitFor({ state: "visible" });
  observations.analyseMessage = (await done.innerText()).replace(/\u00a0/g, " ");
  await page.locator(".markers-panel .monaco-list-row", { hasText: "unopened.py" }).first().waitFor();
  observations.problemsAfterAnalyse = await problemRows(page);
  await shot(page, "07c-analysed-workspace");

  begin("explain-rule");
  await runCommand(page, "leery: Explain Rule…");
  const pick = page.locator(".quick-input-widget .monaco-list-row", { hasText: "LY101" }).first();
  await pick.waitFor({ state: "visible" });
  observations.ruleRowsShown = await page.locator(".quick-input-widget .monaco-list-row").count();
  await page.locator(".quick-input-widget input").fill("LY101");
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: "swallowed-exception" }).first().click();
  // The explanation renders in a webview (an iframe inside an iframe).
  const body = page.frameLocator("iframe.webview.ready").frameLocator("#active-frame").locator("body");
  await body.getByText("Why it matters").first().waitFor();
  observations.explanation = (await body.textContent()).replace(/\u00a0/g, " ");
  await shot(page, "08-explain-rule");

  begin("cannot-start-notification");
  // A Python that does not exist: the restart fails, and one notification says so, with "Show log".
  // (The folder's settings: VS Code watches those files; the trusted folder may choose the interpreter.)
  mkdirSync(join(folder, ".vscode"), { recursive: true });
  writeFileSync(join(folder, ".vscode", "settings.json"), JSON.stringify({ "leery.interpreter": "/nonexistent/python3" }));
  const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "to run the leery server" }).first();
  await toast.waitFor({ state: "visible" });
  observations.notification = (await toast.innerText()).replace(/\u00a0/g, " ");
  await shot(page, "09-cannot-start");
  await toast.locator(".monaco-button", { hasText: "Show log" }).click();
  const output = page.locator(".part.panel .monaco-editor .view-lines", { hasText: "/nonexistent/python3" }).first();
  await output.waitFor({ state: "visible" });
  observations.logAfterShowLog = (await output.innerText()).replace(/\u00a0/g, " ");
  await shot(page, "10-show-log");

  begin("server-exits-notification");
  // A server program that exits at once: reported once, not restarted in a loop.
  await runCommand(page, "Notifications: Clear All Notifications");
  await page.locator(".notifications-toasts .notification-toast").first().waitFor({ state: "hidden" });
  writeFileSync(join(folder, ".vscode", "settings.json"), JSON.stringify({ "leery.path": "/bin/false" }));
  const exited = page.locator(".notifications-toasts .notification-toast", { hasText: "did not start" }).first();
  await exited.waitFor({ state: "visible" });
  observations.exitNotification = (await exited.innerText()).replace(/\u00a0/g, " ");
  observations.toastsAfterExit = await page.locator(".notifications-toasts .notification-toast").count();
  await shot(page, "11-server-exits");
  begin("done");
  observations.ok = true;
}

/** In Restricted Mode the bundled server ran (the squiggles above), whatever the folder said. */
async function untrustedChecks(page) {
  begin("restricted-mode");
  const restricted = page.locator(".statusbar-item", { hasText: "Restricted Mode" }).first();
  await restricted.waitFor({ state: "visible" });
  observations.restrictedMode = (await restricted.innerText()).trim();
  await runCommand(page, "leery: Show Log");
  const output = page.locator(".part.panel .monaco-editor .view-lines", { hasText: "starting:" }).first();
  await output.waitFor({ state: "visible" });
  observations.log = (await output.innerText()).replace(/\u00a0/g, " ");
  await shot(page, "02-untrusted-log");
  begin("done");
  observations.ok = true;
}

async function cleanUp() {
  await context?.close().catch(() => undefined);
  if (codeServer && codeServer.exitCode === null) {
    // code-server runs in its own process group: the extension host and leery's server go with it.
    try {
      process.kill(-codeServer.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((done) => {
      const timer = setTimeout(() => {
        try {
          process.kill(-codeServer.pid, "SIGKILL");
        } catch {
          // gone
        }
        done();
      }, 5000);
      codeServer.once("exit", () => {
        clearTimeout(timer);
        done();
      });
    });
  }
  // The extension host's logs (leery's own output channel among them) go with the artifacts.
  cpSync(join(userData, "logs"), join(artifacts, "logs"), { recursive: true, force: true });
  if (!opt.keep) {
    rmSync(work, { recursive: true, force: true });
  }
  rmSync(pidFile, { force: true });
}

// Interrupted (Ctrl+C, a polite kill): still stop code-server and leave no processes behind.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    cleanUp().finally(() => process.exit(1));
  });
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  observations.ok = false;
  observations.failedStep = step;
  observations.error = String(error?.stack ?? error);
  log(`FAILED at ${step}: ${error}`);
  const page = context?.pages()[0];
  if (page) {
    await page.screenshot({ path: join(artifacts, `failed-${step}.png`) }).catch(() => undefined);
    observations.problemsAtFailure = await problemRows(page).catch(() => []);
  }
} finally {
  await cleanUp().catch((error) => log(`clean-up: ${error}`));
  writeFileSync(resolve(opt.out), JSON.stringify(observations, null, 2));
}
process.exit(failed ? 1 : 0);
