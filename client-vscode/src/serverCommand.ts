// The command line and environment that start `leery serve`.

import * as path from "node:path";
import type { Version } from "./interpreter";
import type { ImportStrategy, LeerySettings } from "./settings";

export interface ServerCommand {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

export function bundledLibs(extensionPath: string): string {
  return path.join(extensionPath, "bundled", "libs");
}

/**
 * useBundled: the chosen Python runs the server and libraries shipped in the extension
 * (PYTHONPATH first, so a different pygls in that environment cannot shadow them).
 * fromEnvironment: the interpreter's own leery. leery.path: that executable, as `<path> serve`.
 * The working directory is the extension's folder, never the workspace: `python -m` puts the
 * working directory on sys.path, and a folder's own `leery/` or `pygls/` must not run.
 */
export function serverCommand(
  settings: Pick<LeerySettings, "path" | "importStrategy">,
  python: string,
  extensionPath: string,
  baseEnv: Record<string, string | undefined>,
): ServerCommand {
  const env: Record<string, string | undefined> = { ...baseEnv, PYTHONUNBUFFERED: "1" };
  if (settings.path) {
    return { command: settings.path, args: ["serve"], cwd: extensionPath, env };
  }
  if (settings.importStrategy === "useBundled") {
    const libs = bundledLibs(extensionPath);
    env.PYTHONPATH = baseEnv.PYTHONPATH ? `${libs}${path.delimiter}${baseEnv.PYTHONPATH}` : libs;
  }
  return { command: python, args: ["-m", "leery", "serve"], cwd: extensionPath, env };
}

/** Whether the server needs a Python interpreter at all (leery.path runs its own). */
export function needsPython(settings: Pick<LeerySettings, "path">): boolean {
  return !settings.path;
}

/** The bundle's pyflakes 4.1 and stevedore 5.10 need 3.11; a leery installed by pip chose its own. */
export function minimumPython(strategy: ImportStrategy): Version {
  return strategy === "useBundled" ? [3, 11] : [3, 10];
}
