// Bundles the extension with esbuild (dist/extension.js); with --tests, the unit tests against a
// stubbed `vscode` module (out/test/*.test.js, run by `node --test`).
import { build } from "esbuild";
import { readdirSync } from "node:fs";

const common = { bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "warning" };

if (process.argv.includes("--tests")) {
  const entryPoints = readdirSync("test")
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => `test/${name}`);
  await build({ ...common, entryPoints, outdir: "out/test", alias: { vscode: "./test/vscode-stub.ts" } });
} else {
  await build({
    ...common,
    entryPoints: ["src/extension.ts"],
    outfile: "dist/extension.js",
    external: ["vscode"],
    minifySyntax: true,
    minifyWhitespace: true,
    sourcemap: false,
  });
}
