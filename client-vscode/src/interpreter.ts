// Which Python runs the server: the leery.interpreter setting, else the Python extension's
// selection, else python3 on PATH; each must be Python >= 3.10 (and have leery, for fromEnvironment).

import { execFile } from "node:child_process";

export interface Candidate {
  python: string;
  origin: "leery.interpreter" | "the Python extension" | "PATH";
}

export interface Probe {
  ok: boolean;
  version?: string;
  problem?: string;
}

export type Prober = (python: string, needLeery: boolean) => Promise<Probe>;

export type Choice = { python: string; origin: Candidate["origin"]; version: string } | { error: string };

export function candidates(setting: string, fromPythonExtension: string | undefined): Candidate[] {
  // An explicit setting is the user's decision: never silently replace it with another Python.
  if (setting) {
    return [{ python: setting, origin: "leery.interpreter" }];
  }
  const found: Candidate[] = [];
  if (fromPythonExtension) {
    found.push({ python: fromPythonExtension, origin: "the Python extension" });
  }
  found.push({ python: process.platform === "win32" ? "python" : "python3", origin: "PATH" });
  return found;
}

export async function choose(list: Candidate[], probe: Prober, needLeery: boolean): Promise<Choice> {
  const problems: string[] = [];
  for (const candidate of list) {
    const result = await probe(candidate.python, needLeery);
    if (result.ok && result.version) {
      return { python: candidate.python, origin: candidate.origin, version: result.version };
    }
    problems.push(`${candidate.python} (from ${candidate.origin}): ${result.problem ?? "unusable"}`);
  }
  return { error: problems.join("; ") };
}

export type Version = readonly [number, number];

/** "3.11.7" -> true when it is at least `minimum` (major, minor). */
export function recentEnough(version: string, minimum: Version): boolean {
  const [major, minor] = version.split(".").map(Number);
  if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) {
    return false;
  }
  return major > minimum[0] || (major === minimum[0] && minor >= minimum[1]);
}

const PROBE_SCRIPT = "import sys; print('%d.%d.%d' % sys.version_info[:3])";
// With fromEnvironment the interpreter's own leery runs: check it is there before starting it.
const PROBE_LEERY = "; import leery; print(leery.__version__)";

/** Runs the interpreter once (a quick subprocess) to read its version. */
export function probePython(
  python: string,
  needLeery: boolean,
  minimum: Version,
  cwd: string,
  timeoutMs = 15000,
): Promise<Probe> {
  const script = PROBE_SCRIPT + (needLeery ? PROBE_LEERY : "");
  return new Promise((resolve) => {
    // cwd is the extension's folder: `-c` puts it on sys.path, and the workspace's must not be.
    execFile(python, ["-c", script], { cwd, timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      const version = stdout.split(/\r?\n/)[0]?.trim() ?? "";
      if (error && !version) {
        const code = (error as NodeJS.ErrnoException).code;
        resolve({ ok: false, problem: code === "ENOENT" ? "not found" : firstLine(stderr) || error.message });
        return;
      }
      if (!recentEnough(version, minimum)) {
        resolve({ ok: false, version, problem: `Python ${version || "?"} is older than ${minimum.join(".")}` });
        return;
      }
      if (error) {
        resolve({ ok: false, version, problem: `leery is not installed there (${firstLine(stderr)})` });
        return;
      }
      resolve({ ok: true, version });
    });
  });
}

function firstLine(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  return lines[lines.length - 1] ?? "";
}
