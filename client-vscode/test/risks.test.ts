import assert from "node:assert/strict";
import { test } from "node:test";
import { codeOf, countRisks, statusText, statusTooltip } from "../src/risks";

test("counts leery's diagnostics only, in the active file and everywhere", () => {
  const all = [
    ["file:///a.py", [{ source: "leery" }, { source: "leery" }, { source: "Pylance" }]],
    ["file:///b.py", [{ source: "leery" }]],
    ["file:///c.py", []],
  ] as const;
  assert.deepEqual(countRisks(all, "file:///a.py"), { file: 2, workspace: 3 });
  assert.deepEqual(countRisks(all, undefined), { file: 0, workspace: 3 });
  assert.equal(statusText({ file: 2, workspace: 3 }, true), "$(eye) 2 · 3");
  assert.equal(statusTooltip({ file: 1, workspace: 3 }, true), "leery: 1 open risk in this file, 3 open risks in the workspace. Click to show them.");
  assert.equal(statusTooltip({ file: 0, workspace: 0 }, false), "leery: 0 open risks in the workspace. Click to show them.");
});

test("codes come as strings or {value, target}", () => {
  assert.equal(codeOf("LY101"), "LY101");
  assert.equal(codeOf({ value: "F401", target: {} }), "F401");
  assert.equal(codeOf(undefined), undefined);
});
