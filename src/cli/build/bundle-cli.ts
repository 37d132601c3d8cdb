import { readFileSync, rmSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

/**
 * `npm run build`'s second step, after tsc: the CLI as one ESM bundle, dist/cli/gameday.mjs, with
 * every command's dynamic import split into its own chunk beside it, so a command still loads only
 * what it needs, from a few files instead of hundreds. dist/src/cli/main.js (the bin) prefers it.
 */

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const OUT = `${ROOT}dist/cli`;

/**
 * Pure-JS packages every common command loads (hundreds of small modules between them). The rest
 * stays an ordinary import from node_modules: native addons, worker threads, files read beside
 * their own code, and heavy clients only some commands load (bullmq, dockerode, Kubernetes, hono).
 */
const BUNDLED = new Set(["commander", "picocolors", "yaml", "zod"]);

function packageName(spec: string): string {
  const parts = spec.split("/");
  return (spec.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

const externalUnlessBundled: Plugin = {
  name: "external-unless-bundled",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:") || BUNDLED.has(packageName(args.path))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * Our modules that find files from their own location (the package root, report page sources,
 * uPlot's stylesheet) keep doing so from their tsc twin in dist/: `import.meta.url` becomes that
 * twin's URL, relative to the bundle, so the install may move.
 */
const importMetaOfTwin: Plugin = {
  name: "import-meta-of-tsc-twin",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes("import.meta.url")) return undefined;
      const twin = relative(OUT, `${ROOT}dist/${relative(ROOT, args.path)}`).replace(/\.ts$/, ".js");
      const url = `new URL(${JSON.stringify(twin.split("\\").join("/"))}, import.meta.url).href`;
      return { contents: source.replaceAll("import.meta.url", url), loader: "ts" };
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  entryPoints: [{ in: `${ROOT}src/cli/program.ts`, out: "gameday" }],
  outdir: OUT,
  outExtension: { ".js": ".mjs" },
  chunkNames: "[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22.12",
  keepNames: true,
  sourcemap: "linked",
  logLevel: "warning",
  metafile: true,
  // Bundled CommonJS (commander) calls require() for node builtins; ESM has none of its own.
  banner: {
    js: 'import { createRequire as __gamedayRequire } from "node:module";\nconst require = __gamedayRequire(import.meta.url);',
  },
  plugins: [externalUnlessBundled, importMetaOfTwin],
});
const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith(".mjs"));
process.stdout.write(
  `bundled the CLI into ${relative(ROOT, OUT)}/gameday.mjs (+${files.length - 1} chunks)\n`,
);
