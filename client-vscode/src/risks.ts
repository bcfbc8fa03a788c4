// Counting open risks for the status bar: leery's diagnostics in the current file and everywhere.

export interface DiagnosticLike {
  source?: string;
}

export interface RiskCount {
  file: number;
  workspace: number;
}

export function countRisks(
  all: ReadonlyArray<readonly [string, ReadonlyArray<DiagnosticLike>]>,
  activeUri: string | undefined,
): RiskCount {
  let file = 0;
  let workspace = 0;
  for (const [uri, diagnostics] of all) {
    const mine = diagnostics.filter((d) => d.source === "leery").length;
    workspace += mine;
    if (uri === activeUri) {
      file += mine;
    }
  }
  return { file, workspace };
}

export function statusText(count: RiskCount, hasPythonEditor: boolean): string {
  return hasPythonEditor ? `$(eye) ${count.file} · ${count.workspace}` : `$(eye) ${count.workspace}`;
}

export function statusTooltip(count: RiskCount, hasPythonEditor: boolean): string {
  const plural = (n: number) => `${n} open risk${n === 1 ? "" : "s"}`;
  const here = hasPythonEditor ? `${plural(count.file)} in this file, ` : "";
  return `leery: ${here}${plural(count.workspace)} in the workspace. Click to show them.`;
}

/** The rule code of a diagnostic (`LY101` or `{value: "LY101", target}`). */
export function codeOf(code: unknown): string | undefined {
  if (typeof code === "string" || typeof code === "number") {
    return String(code);
  }
  if (code && typeof code === "object" && "value" in code) {
    return String((code as { value: unknown }).value);
  }
  return undefined;
}
