import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export interface PageAssets {
  js: string;
  css: string;
}

const require = createRequire(import.meta.url);
const cache = new Map<string, Promise<PageAssets>>();

/** The compiled entry beside this module (dist), or the TypeScript source when run from src. */
function entry(name: string, dir: URL): string {
  for (const ext of [".js", ".ts"]) {
    const file = fileURLToPath(new URL(`${name}${ext}`, dir));
    if (existsSync(file)) return file;
  }
  throw new Error(`browser entry ${name} not found in ${fileURLToPath(dir)}`);
}

/**
 * One browser bundle (uPlot included) and uPlot's stylesheet, built once per process with esbuild
 * and inlined into every page: report.html opens from disk with no request at all.
 */
export function pageAssets(name: string, dir: URL): Promise<PageAssets> {
  const key = `${dir.href}${name}`;
  let p = cache.get(key);
  if (!p) {
    p = build({
      entryPoints: [entry(name, dir)],
      bundle: true,
      minify: true,
      format: "iife",
      target: "es2020",
      write: false,
      legalComments: "none",
    }).then((r) => ({
      js: (r.outputFiles[0]?.text ?? "").replace(/<\/script/gi, "<\\/script"),
      css: readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
    }));
    cache.set(key, p);
  }
  return p;
}

export const reportAssets = () => pageAssets("report-page", new URL("./web/", import.meta.url));
