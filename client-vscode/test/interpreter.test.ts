import assert from "node:assert/strict";
import { test } from "node:test";
import { candidates, choose, probePython, recentEnough, type Probe } from "../src/interpreter";

test("the setting alone when set; else the Python extension's, then PATH", () => {
  assert.deepEqual(candidates("/opt/py/bin/python", "/venv/bin/python"), [
    { python: "/opt/py/bin/python", origin: "leery.interpreter" },
  ]);
  assert.deepEqual(candidates("", "/venv/bin/python"), [
    { python: "/venv/bin/python", origin: "the Python extension" },
    { python: "python3", origin: "PATH" },
  ]);
  assert.deepEqual(candidates("", undefined), [{ python: "python3", origin: "PATH" }]);
});

test("choose takes the first usable interpreter and explains the others", async () => {
  const probes: Record<string, Probe> = {
    "/venv/bin/python": { ok: false, version: "3.8.10", problem: "Python 3.8.10 is older than 3.10" },
    python3: { ok: true, version: "3.12.1" },
  };
  const seen: string[] = [];
  const choice = await choose(candidates("", "/venv/bin/python"), async (python) => {
    seen.push(python);
    return probes[python] ?? { ok: false, problem: "not found" };
  }, false);
  assert.deepEqual(choice, { python: "python3", origin: "PATH", version: "3.12.1" });
  assert.deepEqual(seen, ["/venv/bin/python", "python3"]);

  const none = await choose(candidates("/nope", undefined), async () => ({ ok: false, problem: "not found" }), false);
  assert.ok("error" in none && none.error.includes("/nope (from leery.interpreter): not found"));
});

test("version floor", () => {
  assert.equal(recentEnough("3.11.7", [3, 11]), true);
  assert.equal(recentEnough("3.10.0", [3, 11]), false);
  assert.equal(recentEnough("3.10.0", [3, 10]), true);
  assert.equal(recentEnough("4.0.0", [3, 11]), true);
  assert.equal(recentEnough("2.7.18", [3, 10]), false);
  assert.equal(recentEnough("", [3, 10]), false);
});

test("probing a real interpreter and a missing one", async () => {
  const real = await probePython(process.env.LEERY_TEST_PYTHON ?? "python3", false, [3, 10], process.cwd());
  assert.equal(real.ok, true, real.problem);
  assert.match(real.version ?? "", /^3\.\d+\.\d+$/);
  const tooNew = await probePython(process.env.LEERY_TEST_PYTHON ?? "python3", false, [99, 0], process.cwd());
  assert.equal(tooNew.ok, false);
  assert.match(tooNew.problem ?? "", /older than 99\.0/);
  const missing = await probePython("/nonexistent/python3", false, [3, 10], process.cwd());
  assert.deepEqual(missing, { ok: false, problem: "not found" });
});

test("fromEnvironment needs leery importable from that interpreter", async () => {
  // A bare interpreter (-I would not help here: the probe really imports leery) has no leery.
  const probe = await probePython(process.env.LEERY_TEST_PYTHON ?? "python3", true, [3, 10], "/");
  if (probe.ok) {
    assert.match(probe.version ?? "", /^3\./);
  } else {
    assert.match(probe.problem ?? "", /leery is not installed there/);
  }
});
