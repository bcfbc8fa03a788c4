// The extension's commands: explain, suppress with a reason, mark reviewed, analyse the workspace.

import * as vscode from "vscode";
import { codeOf } from "./risks";
import { errorMessage, type LeeryServer } from "./server";
import { reasonProblem } from "./settings";

interface RuleInfo {
  code: string;
  name: string;
  summary: string;
  severity: string;
  fixable: boolean;
  url?: string;
}

interface Explanation {
  code: string;
  name: string;
  markdown: string;
}

/** A finding to act on: the document, its 0-based line and the rule code. */
export interface Target {
  uri: string;
  line: number;
  code: string;
}

export function registerCommands(server: LeeryServer): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("leery.restartServer", () => server.restart()),
    vscode.commands.registerCommand("leery.showLog", () => server.log.show()),
    vscode.commands.registerCommand("leery.explainRule", (code?: string) => explainRule(server, code)),
    vscode.commands.registerCommand("leery.suppressWithReason", (target?: Target) =>
      withReason(server, "leery.suppress", target, "Suppress"),
    ),
    vscode.commands.registerCommand("leery.markReviewedWithReason", (target?: Target) =>
      withReason(server, "leery.markReviewed", target, "Mark reviewed"),
    ),
    vscode.commands.registerCommand("leery.analyseWorkspace", () => analyseWorkspace(server)),
  ];
}

async function explainRule(server: LeeryServer, code?: string): Promise<void> {
  try {
    if (!code) {
      const rules = await server.executeCommand<RuleInfo[]>("leery.rules");
      const picked = await vscode.window.showQuickPick(
        rules.map((rule) => ({
          label: rule.code,
          description: `${rule.name} · ${rule.severity}${rule.fixable ? " · fixable" : ""}`,
          detail: rule.summary,
        })),
        { title: "leery: explain a rule", placeHolder: "Type a code or a name", matchOnDescription: true, matchOnDetail: true },
      );
      if (!picked) {
        return;
      }
      code = picked.label;
    }
    const explanation = await server.executeCommand<Explanation>("leery.explain", [code]);
    await showMarkdown(`${explanation.code} ${explanation.name}`, explanation.markdown);
  } catch (error) {
    void vscode.window.showErrorMessage(`leery: ${errorMessage(error)}`);
  }
}

async function showMarkdown(title: string, markdown: string): Promise<void> {
  const panel = vscode.window.createWebviewPanel("leery.explain", title, vscode.ViewColumn.Beside, {
    enableScripts: false,
  });
  let html: string;
  try {
    // The built-in Markdown extension renders (and sanitises) it the way VS Code shows Markdown.
    html = await vscode.commands.executeCommand<string>("markdown.api.render", markdown);
  } catch {
    html = `<pre>${markdown.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] ?? c)}</pre>`;
  }
  panel.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
</head><body>${html}</body></html>`;
}

/** Asks for a reason, then runs a server command that records it (suppression or review). */
async function withReason(server: LeeryServer, command: string, target: Target | undefined, verb: string) {
  const chosen = target ?? (await findingAtCursor());
  if (!chosen) {
    return;
  }
  const reason = await vscode.window.showInputBox({
    title: `leery: ${verb} ${chosen.code} on line ${chosen.line + 1}`,
    prompt: "Why is this acceptable here? A reviewer will read it.",
    placeHolder: "for example: the caller logs and retries",
    ignoreFocusOut: true,
    validateInput: reasonProblem,
  });
  if (reason === undefined) {
    return;
  }
  try {
    const result = await server.executeCommand<{ applied?: boolean; reason?: string } | null>(command, [
      { ...chosen, reason: reason.trim() },
    ]);
    if (result && result.applied === false) {
      void vscode.window.showWarningMessage(`leery: ${verb} ${chosen.code}: ${result.reason ?? "nothing was changed"}.`);
    }
  } catch (error) {
    // Tell the truth: if the server cannot do it (yet), show its message, do not pretend.
    void vscode.window.showErrorMessage(`leery: ${verb} failed: ${errorMessage(error)}`, "Show log").then(
      (choice) => choice && server.log.show(),
    );
  }
}

/** The leery finding on the cursor's line in the active editor (a quick pick when there are several). */
async function findingAtCursor(): Promise<Target | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage("leery: open a Python file and put the cursor on a finding.");
    return undefined;
  }
  const line = editor.selection.active.line;
  const targets: Target[] = [];
  for (const diagnostic of vscode.languages.getDiagnostics(editor.document.uri)) {
    const code = codeOf(diagnostic.code);
    if (diagnostic.source === "leery" && code && diagnostic.range.start.line <= line && line <= diagnostic.range.end.line) {
      targets.push({ uri: editor.document.uri.toString(), line: diagnostic.range.start.line, code });
    }
  }
  if (targets.length === 0) {
    void vscode.window.showInformationMessage(`leery: no finding on line ${line + 1}.`);
    return undefined;
  }
  if (targets.length === 1) {
    return targets[0];
  }
  const picked = await vscode.window.showQuickPick(
    targets.map((target) => ({ label: target.code, target })),
    { title: "leery: which finding?" },
  );
  return picked?.target;
}

async function analyseWorkspace(server: LeeryServer): Promise<void> {
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: "leery: analysing the workspace…" },
      () => server.executeCommand<{ files: number; findings: number }>("leery.analyzeWorkspace"),
    );
    void vscode.commands.executeCommand("workbench.actions.view.problems");
    void vscode.window.showInformationMessage(
      `leery: analysed ${result.files} file${result.files === 1 ? "" : "s"}, ${result.findings} finding${result.findings === 1 ? "" : "s"}.`,
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`leery: analysing the workspace failed: ${errorMessage(error)}`);
  }
}
