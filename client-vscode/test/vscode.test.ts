// The modules that talk to VS Code, against the stubbed `vscode` module.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Uri, stub } from "vscode";
import { currentSettings, mainResource } from "../src/config";
import { selectedInterpreter } from "../src/pythonExtension";

test("settings are read for the first workspace folder and honour trust", () => {
  stub.folders = [{ uri: Uri.file("/work/project") }];
  stub.values = { interpreter: "/work/project/.venv/bin/python", importStrategy: "fromEnvironment" };
  stub.userValues = {};
  stub.trusted = true;
  assert.equal(mainResource()?.toString(), "file:///work/project");
  assert.equal(currentSettings().interpreter, "/work/project/.venv/bin/python");
  assert.equal(stub.requestedSections.at(-1)?.section, "leery");
  assert.equal(String(stub.requestedSections.at(-1)?.resource), "file:///work/project");
  stub.trusted = false;
  assert.equal(currentSettings().interpreter, "");
  assert.equal(currentSettings().importStrategy, "useBundled");
});

test("the Python extension's selected interpreter, when it is installed", async () => {
  stub.extensions = {};
  assert.equal(await selectedInterpreter(undefined), undefined);
  let activated = 0;
  const api = {
    environments: { getActiveEnvironmentPath: (resource?: Uri) => ({ path: `/envs/${resource ? "folder" : "global"}/python` }) },
  };
  stub.extensions["ms-python.python"] = {
    isActive: false,
    exports: undefined,
    activate: async () => {
      activated += 1;
      return api;
    },
  };
  assert.equal(await selectedInterpreter(Uri.file("/work/project")), "/envs/folder/python");
  assert.equal(activated, 1);
  stub.extensions["ms-python.python"] = { isActive: true, exports: api, activate: async () => api };
  assert.equal(await selectedInterpreter(undefined), "/envs/global/python");
  stub.extensions["ms-python.python"] = {
    isActive: false,
    exports: undefined,
    activate: async () => {
      throw new Error("broken");
    },
  };
  assert.equal(await selectedInterpreter(undefined), undefined, "a broken Python extension means: fall back");
});
