// Reads the leery settings from VS Code (kept apart from settings.ts so that one stays pure).

import * as vscode from "vscode";
import { readSettings, type LeerySettings } from "./settings";

/** The resource whose settings choose the server process: the first workspace folder. */
export function mainResource(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

export function currentSettings(resource: vscode.Uri | undefined = mainResource()): LeerySettings {
  return readSettings(vscode.workspace.getConfiguration("leery", resource), vscode.workspace.isTrusted);
}
