// Status bar item: open risks in the current file and the workspace; a click shows the Problems panel.

import * as vscode from "vscode";
import { countRisks, statusText, statusTooltip } from "./risks";

export function createStatusItem(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem("leery.status", vscode.StatusBarAlignment.Left, 10);
  item.name = "leery";
  item.command = "workbench.actions.view.problems";
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    const isPython = editor?.document.languageId === "python";
    const all = vscode.languages.getDiagnostics().map(([uri, list]) => [uri.toString(), list] as const);
    const count = countRisks(all, isPython ? editor?.document.uri.toString() : undefined);
    item.text = statusText(count, isPython);
    item.tooltip = statusTooltip(count, isPython);
    item.accessibilityInformation = { label: item.tooltip };
    item.show();
  };
  update();
  return vscode.Disposable.from(
    item,
    vscode.languages.onDidChangeDiagnostics(update),
    vscode.window.onDidChangeActiveTextEditor(update),
  );
}
