import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULTS, forServer, needsRestart, withoutClientKeys, readSettings, reasonProblem, shouldNotify, type ConfigReader } from "../src/settings";

function reader(values: Record<string, unknown>, userValues: Record<string, unknown> = {}): ConfigReader {
  return {
    get: <T>(key: string, fallback: T) => (key in values ? (values[key] as T) : fallback),
    inspect: <T>(key: string) => ({ globalValue: userValues[key] as T | undefined }),
  };
}

test("defaults when nothing is set", () => {
  assert.deepEqual(readSettings(reader({}), true), DEFAULTS);
});

test("values pass through, with bad ones replaced by defaults", () => {
  const settings = readSettings(
    reader({
      select: ["LY1", 3, "F"],
      severity: { LY101: "error", LY102: 7 },
      debounce: -5,
      importStrategy: "somethingElse",
      scope: "changed",
      "trace.server": "verbose",
      interpreter: "  /usr/bin/python3.12 ",
    }),
    true,
  );
  assert.deepEqual(settings.select, ["LY1", "F"]);
  assert.deepEqual(settings.severity, { LY101: "error" });
  assert.equal(settings.debounce, DEFAULTS.debounce);
  assert.equal(settings.importStrategy, "useBundled");
  assert.equal(settings.scope, "changed");
  assert.equal(settings.trace.server, "verbose");
  assert.equal(settings.interpreter, "/usr/bin/python3.12");
});

test("an untrusted folder cannot choose the program that runs", () => {
  const values = { interpreter: "./evil/python", path: "./evil/leery", importStrategy: "fromEnvironment", select: ["LY1"] };
  const untrusted = readSettings(reader(values, { interpreter: "/usr/bin/python3" }), false);
  assert.equal(untrusted.interpreter, "/usr/bin/python3", "the user's own setting still applies");
  assert.equal(untrusted.path, "");
  assert.equal(untrusted.importStrategy, "useBundled");
  assert.deepEqual(untrusted.select, ["LY1"], "harmless settings still apply");
  const trusted = readSettings(reader(values), true);
  assert.equal(trusted.path, "./evil/leery");
  assert.equal(trusted.importStrategy, "fromEnvironment");
});

test("only interpreter, path and importStrategy restart the server", () => {
  assert.equal(needsRestart((s) => s === "leery.interpreter"), true);
  assert.equal(needsRestart((s) => s === "leery.importStrategy"), true);
  assert.equal(needsRestart((s) => s === "leery.path"), true);
  assert.equal(needsRestart((s) => s === "leery.select" || s === "leery"), false);
});

test("showNotifications filters server messages by type", () => {
  assert.equal(shouldNotify("off", 1), false);
  assert.equal(shouldNotify("onError", 1), true);
  assert.equal(shouldNotify("onError", 2), false);
  assert.equal(shouldNotify("always", 3), true);
  assert.equal(shouldNotify("always", 4), false);
});

test("placeholder reasons are refused", () => {
  for (const bad of ["", "  ", "TODO", "reason", "...", "why?", "two\nlines", "a]b"]) {
    assert.ok(reasonProblem(bad), `refuses ${JSON.stringify(bad)}`);
  }
  assert.equal(reasonProblem("the caller logs and retries"), undefined);
});

test("the server gets the flat leery section without the client's own keys", () => {
  const sent = forServer(readSettings(reader({ select: ["LY1"], importStrategy: "fromEnvironment" }), true));
  assert.deepEqual(sent.select, ["LY1"]);
  assert.equal("importStrategy" in sent, false);
  assert.equal(sent.debounce, DEFAULTS.debounce);
  assert.deepEqual(withoutClientKeys({ importStrategy: "useBundled", enable: false }), { enable: false });
  assert.equal(withoutClientKeys(null), null);
});
