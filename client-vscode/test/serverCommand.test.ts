import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { minimumPython, needsPython, serverCommand } from "../src/serverCommand";

const ext = "/home/u/.vscode/extensions/leery.leery-0.1.0";

test("bundled: the chosen Python with the bundle first on PYTHONPATH, run from the extension folder", () => {
  const cmd = serverCommand({ path: "", importStrategy: "useBundled" }, "/usr/bin/python3", ext, {
    PYTHONPATH: "/mine",
    HOME: "/home/u",
  });
  assert.equal(cmd.command, "/usr/bin/python3");
  assert.deepEqual(cmd.args, ["-m", "leery", "serve"]);
  assert.equal(cmd.env.PYTHONPATH, `${path.join(ext, "bundled", "libs")}${path.delimiter}/mine`);
  assert.equal(cmd.env.HOME, "/home/u");
  assert.equal(cmd.cwd, ext, "never the workspace: python -m puts the cwd on sys.path");
});

test("fromEnvironment: the interpreter's own leery, environment untouched", () => {
  const cmd = serverCommand({ path: "", importStrategy: "fromEnvironment" }, "/venv/bin/python", ext, {});
  assert.equal(cmd.command, "/venv/bin/python");
  assert.deepEqual(cmd.args, ["-m", "leery", "serve"]);
  assert.equal(cmd.env.PYTHONPATH, undefined);
});

test("leery.path runs that executable and needs no interpreter", () => {
  const cmd = serverCommand({ path: "/opt/leery/bin/leery", importStrategy: "useBundled" }, "", ext, {});
  assert.equal(cmd.command, "/opt/leery/bin/leery");
  assert.deepEqual(cmd.args, ["serve"]);
  assert.equal(needsPython({ path: "/opt/leery/bin/leery" }), false);
  assert.equal(needsPython({ path: "" }), true);
});

test("the bundle needs Python 3.11; an installed leery decides for itself from 3.10", () => {
  assert.deepEqual(minimumPython("useBundled"), [3, 11]);
  assert.deepEqual(minimumPython("fromEnvironment"), [3, 10]);
});
