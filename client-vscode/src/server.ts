// Starts, stops and restarts the leery language server; one per window.

import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  RevealOutputChannelOn,
  ShowMessageNotification,
  State,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { currentSettings, mainResource } from "./config";
import { candidates, choose, probePython } from "./interpreter";
import { selectedInterpreter } from "./pythonExtension";
import { minimumPython, needsPython, serverCommand } from "./serverCommand";
import { forServer, shouldNotify, withoutClientKeys, type LeerySettings } from "./settings";

/** A language client whose start-up failures do not pop up: LeeryServer reports them once, with "Show log". */
class LeeryClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification: boolean | "force" = true): void {
    super.error(message, data, showNotification === "force" ? false : showNotification);
  }
}

export class LeeryServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly stateEmitter = new vscode.EventEmitter<boolean>();
  /** Fires true when a server is running, false when it stopped. */
  readonly onDidChangeRunning = this.stateEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {}

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  /** Start, stop and restart run one after another, never interleaved. */
  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step, step);
    return this.queue;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  /** Runs a command the server implements (workspace/executeCommand); errors carry its message. */
  async executeCommand<T>(command: string, args: unknown[] = []): Promise<T> {
    if (!this.client || !this.running) {
      throw new Error("the leery server is not running (see leery: Show Log)");
    }
    return (await this.client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as T;
  }

  /** Live settings: tell the server, which then pulls workspace/configuration. */
  async settingsChanged(): Promise<void> {
    if (this.client && this.running) {
      await this.client.sendNotification("workspace/didChangeConfiguration", {
        settings: { leery: forServer(currentSettings()) },
      });
    }
  }

  private async doStart(): Promise<void> {
    const settings = currentSettings();
    const extensionPath = this.context.extensionPath;
    let python = "";
    if (needsPython(settings)) {
      const resource = mainResource();
      const fromPython = vscode.workspace.isTrusted ? await selectedInterpreter(resource) : undefined;
      const needLeery = settings.importStrategy === "fromEnvironment";
      const choice = await choose(
        candidates(settings.interpreter, fromPython),
        (candidate, leery) => probePython(candidate, leery, minimumPython(settings.importStrategy), extensionPath),
        needLeery,
      );
      if ("error" in choice) {
        const minimum = minimumPython(settings.importStrategy).join(".");
        this.cannotStart(`no Python ${minimum} or newer to run the leery server: ${choice.error}`, settings, true);
        return;
      }
      python = choice.python;
      this.log.info(`Python ${choice.version} from ${choice.origin}: ${python}`);
    }
    const command = serverCommand(settings, python, extensionPath, process.env);
    this.log.info(`starting: ${command.command} ${command.args.join(" ")} (${settings.importStrategy})`);
    const serverOptions: ServerOptions = {
      command: command.command,
      args: command.args,
      options: { cwd: command.cwd, env: command.env },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: "file", language: "python" },
        { scheme: "untitled", language: "python" },
      ],
      outputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // The server reads the same flat object it later pulls as workspace/configuration "leery".
      initializationOptions: forServer(settings),
      middleware: {
        workspace: {
          // importStrategy only matters here, in the client: the server need not see it.
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            return Array.isArray(result)
              ? result.map((value, i) => (params.items[i]?.section === "leery" ? withoutClientKeys(value) : value))
              : result;
          },
        },
      },
      initializationFailedHandler: (error) => {
        this.log.error(`initialize failed: ${String(error)}`);
        return false;
      },
    };
    let everRan = false;
    clientOptions.errorHandler = this.crashHandler(settings, () => everRan);
    const client = new LeeryClient("leery", "leery", serverOptions, clientOptions);
    client.onDidChangeState((event) => {
      everRan ||= event.newState === State.Running;
      this.stateEmitter.fire(event.newState === State.Running);
    });
    try {
      await client.start();
    } catch (error) {
      this.cannotStart(`the leery server did not start: ${errorMessage(error)}`, settings);
      await client.dispose().catch(() => undefined);
      return;
    }
    // Pop-ups from the server follow leery.showNotifications; the log gets every message.
    client.onNotification(ShowMessageNotification.type, (params) => {
      this.log.info(`server: ${params.message}`);
      if (shouldNotify(currentSettings().showNotifications, params.type)) {
        const show =
          params.type === 1
            ? vscode.window.showErrorMessage
            : params.type === 2
              ? vscode.window.showWarningMessage
              : vscode.window.showInformationMessage;
        void show(`leery: ${params.message}`);
      }
    });
    this.client = client;
  }

  /**
   * A server that ran and then stopped is restarted, up to 4 times in 3 minutes; then one
   * notification. One that never started is reported once by doStart, not restarted.
   */
  private crashHandler(settings: LeerySettings, everRan: () => boolean): ErrorHandler {
    const stops: number[] = [];
    return {
      error: () => ({ action: ErrorAction.Continue, handled: true }),
      closed: () => {
        if (!everRan()) {
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        const now = Date.now();
        stops.push(now);
        while (stops.length > 0 && now - (stops[0] ?? now) > 180_000) {
          stops.shift();
        }
        if (stops.length <= 4) {
          this.log.warn("the leery server stopped: restarting it");
          return { action: CloseAction.Restart, handled: true };
        }
        this.cannotStart("the leery server stopped 5 times in 3 minutes and is not restarted", settings);
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        await client.stop(5000);
      } catch (error) {
        this.log.warn(`stopping the server: ${errorMessage(error)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.stateEmitter.fire(false);
  }

  /** One clear notification when nothing can start (never a silent failure). */
  private cannotStart(message: string, settings: LeerySettings, pythonProblem = false): void {
    this.log.error(message);
    this.stateEmitter.fire(false);
    const hint = settings.path
      ? " Check the leery.path setting."
      : !pythonProblem
        ? " The log has the server's own output."
        : settings.importStrategy === "fromEnvironment"
          ? " Install leery in that interpreter or set leery.importStrategy to useBundled."
          : ` Install Python ${minimumPython(settings.importStrategy).join(".")}+ or set leery.interpreter.`;
    void vscode.window.showErrorMessage(`leery: ${message}.${hint}`, "Show log").then((choice) => {
      if (choice === "Show log") {
        this.log.show();
      }
    });
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  if (error && typeof error === "object" && "message" in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}
