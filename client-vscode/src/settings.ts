// The `leery.*` settings: read them (honouring workspace trust) and turn them into what the server gets.

export type ImportStrategy = "useBundled" | "fromEnvironment";

export interface LeerySettings {
  enable: boolean;
  select: string[];
  ignore: string[];
  extendSelect: string[];
  severity: Record<string, string>;
  debounce: number;
  interpreter: string;
  path: string;
  importStrategy: ImportStrategy;
  scope: "openFiles" | "workspace" | "changed";
  showNotifications: "off" | "onError" | "always";
  trace: { server: "off" | "messages" | "verbose" };
}

/** The part of vscode.WorkspaceConfiguration this module uses (so tests can pass a plain object). */
export interface ConfigReader {
  get<T>(key: string, defaultValue: T): T;
  inspect<T>(key: string): { globalValue?: T } | undefined;
}

/** Settings that decide which process runs: changing one restarts the server. */
export const RESTART_KEYS = ["interpreter", "path", "importStrategy"] as const;

export const DEFAULTS: LeerySettings = {
  enable: true,
  select: [],
  ignore: [],
  extendSelect: [],
  severity: {},
  debounce: 200,
  interpreter: "",
  path: "",
  importStrategy: "useBundled",
  scope: "openFiles",
  showNotifications: "onError",
  trace: { server: "off" },
};

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/**
 * Reads the settings for one resource. In an untrusted workspace a folder must not choose which
 * program runs: interpreter and path come from the user's own settings only, and the bundle runs.
 */
export function readSettings(config: ConfigReader, trusted: boolean): LeerySettings {
  const userOnly = (key: string): string => {
    const value = config.inspect<string>(key)?.globalValue;
    return typeof value === "string" ? value.trim() : "";
  };
  const severity = config.get<Record<string, unknown>>("severity", {});
  const debounce = Number(config.get<number>("debounce", DEFAULTS.debounce));
  return {
    enable: config.get<boolean>("enable", true) !== false,
    select: strings(config.get("select", [])),
    ignore: strings(config.get("ignore", [])),
    extendSelect: strings(config.get("extendSelect", [])),
    severity: Object.fromEntries(
      Object.entries(severity ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    ),
    debounce: Number.isFinite(debounce) && debounce >= 0 ? debounce : DEFAULTS.debounce,
    interpreter: trusted ? config.get<string>("interpreter", "").trim() : userOnly("interpreter"),
    path: trusted ? config.get<string>("path", "").trim() : userOnly("path"),
    importStrategy: trusted
      ? oneOf(config.get("importStrategy", "useBundled"), ["useBundled", "fromEnvironment"], "useBundled")
      : "useBundled",
    scope: oneOf(config.get("scope", "openFiles"), ["openFiles", "workspace", "changed"], "openFiles"),
    showNotifications: oneOf(config.get("showNotifications", "onError"), ["off", "onError", "always"], "onError"),
    trace: { server: oneOf(config.get("trace.server", "off"), ["off", "messages", "verbose"], "off") },
  };
}

/** Settings only the extension uses (which process to start); the server is not told them. */
const CLIENT_KEYS = ["importStrategy"];

export function withoutClientKeys(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return value;
  }
  return Object.fromEntries(Object.entries(value).filter(([key]) => !CLIENT_KEYS.includes(key)));
}

/** What initializationOptions and didChangeConfiguration carry: the flat `leery` section. */
export function forServer(settings: LeerySettings): Record<string, unknown> {
  return withoutClientKeys(settings) as Record<string, unknown>;
}

/** Whether a configuration change needs a new server process (else it is sent to the running one). */
export function needsRestart(affects: (section: string) => boolean): boolean {
  return RESTART_KEYS.some((key) => affects(`leery.${key}`));
}

/** Message types of window/showMessage (1 error .. 4 log) that the setting lets through as pop-ups. */
export function shouldNotify(level: LeerySettings["showNotifications"], messageType: number): boolean {
  const limit = { off: 0, onError: 1, always: 3 }[level];
  return messageType <= limit;
}

/** Placeholder reasons the server's LY002 rejects; the input box refuses them too. */
const PLACEHOLDER_REASONS = new Set(["", "reason", "<reason>", "todo", "tbd", "fixme", "...", "why?", "why"]);

export function reasonProblem(reason: string): string | undefined {
  if (PLACEHOLDER_REASONS.has(reason.trim().toLowerCase())) {
    return "Write the reason a reviewer will read (why this finding is acceptable here).";
  }
  if (reason.includes("\n") || reason.includes("]")) {
    return "Keep the reason on one line, without ']'.";
  }
  return undefined;
}
