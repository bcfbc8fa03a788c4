// Entry point: start the server, register commands and the status bar, follow settings and trust.

import * as vscode from "vscode";
import { registerCommands } from "./commands";
import { onInterpreterChange } from "./pythonExtension";
import { LeeryServer } from "./server";
import { needsRestart } from "./settings";
import { createStatusItem } from "./status";

let server: LeeryServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("leery", { log: true });
  server = new LeeryServer(context, log);
  const current = server;
  context.subscriptions.push(
    log,
    server,
    createStatusItem(),
    ...registerCommands(current),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (needsRestart((section) => event.affectsConfiguration(section))) {
        log.info("interpreter, path or import strategy changed: restarting the server");
        void current.restart();
      } else if (event.affectsConfiguration("leery")) {
        void current.settingsChanged();
      }
    }),
    // Trusting the folder lets its own interpreter/path settings apply.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void current.restart()),
  );
  const interpreterWatch = await onInterpreterChange(() => {
    if (!vscode.workspace.getConfiguration("leery", undefined).get<string>("interpreter")) {
      log.info("the Python extension selected another interpreter: restarting the server");
      void current.restart();
    }
  });
  if (interpreterWatch) {
    context.subscriptions.push(interpreterWatch);
  }
  await current.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
}
