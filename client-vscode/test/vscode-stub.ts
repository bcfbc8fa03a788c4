// A stand-in for the `vscode` module in unit tests (esbuild aliases `vscode` to this file).
// Tests set `stub.*` to shape what the extension code sees.

export class Uri {
  constructor(readonly fsPath: string) {}
  toString(): string {
    return `file://${this.fsPath}`;
  }
  static file(path: string): Uri {
    return new Uri(path);
  }
}

type Values = Record<string, unknown>;
export type Event<T> = (listener: (event: T) => unknown) => Disposable;
export interface Disposable {
  dispose(): unknown;
}

export const stub = {
  trusted: true,
  /** Effective values (what `get` returns) and the user's own (inspect().globalValue). */
  values: {} as Values,
  userValues: {} as Values,
  folders: [] as { uri: Uri }[],
  extensions: {} as Record<string, { isActive: boolean; exports: unknown; activate(): Promise<unknown> }>,
  requestedSections: [] as { section: string; resource: unknown }[],
};

export const workspace = {
  get isTrusted(): boolean {
    return stub.trusted;
  },
  get workspaceFolders() {
    return stub.folders.length ? stub.folders : undefined;
  },
  getConfiguration(section: string, resource?: unknown) {
    stub.requestedSections.push({ section, resource });
    return {
      get<T>(key: string, defaultValue: T): T {
        return key in stub.values ? (stub.values[key] as T) : defaultValue;
      },
      inspect<T>(key: string) {
        return { key, globalValue: stub.userValues[key] as T | undefined };
      },
    };
  },
};

export const extensions = {
  getExtension<T>(id: string): { isActive: boolean; exports: T; activate(): Promise<T> } | undefined {
    return stub.extensions[id] as { isActive: boolean; exports: T; activate(): Promise<T> } | undefined;
  },
};
