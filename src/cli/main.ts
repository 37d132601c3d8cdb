#!/usr/bin/env node
import { statSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { ignoreClosedPipe } from "./closed-pipe.js";
import { isVersionOnly, VERSION } from "./version.js";

/**
 * The `gameday` bin, kept tiny: it turns on Node's module compile cache, then imports the CLI. The
 * esbuild bundle (dist/cli/gameday.mjs, from `npm run build`) is used only when it is at least as
 * new as the compiled program beside this file, so after a bare `tsc` the fresh unbundled program
 * runs rather than a stale bundle.
 */

/** The OS cache folder (XDG on Linux), so cached compilations outlive /tmp cleaning. */
function compileCacheDir(): string {
  const base =
    process.env.XDG_CACHE_HOME ||
    (process.platform === "win32"
      ? (process.env.LOCALAPPDATA ?? join(homedir(), "AppData", "Local"))
      : process.platform === "darwin"
        ? join(homedir(), "Library", "Caches")
        : join(homedir(), ".cache"));
  return join(base, "gameday", "node-compile-cache");
}

function mtimeMs(url: URL): number {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return Number.NEGATIVE_INFINITY;
  }
}

if (isVersionOnly(process.argv.slice(2))) {
  // The commonest "is it installed?" call needs nothing else at all.
  ignoreClosedPipe();
  process.stdout.write(`${VERSION}\n`);
} else await runCli();

async function runCli(): Promise<void> {
  try {
    // Unwritable or disabled (NODE_DISABLE_COMPILE_CACHE) only means no cache: the status is not an error.
    enableCompileCache(compileCacheDir());
  } catch {
    // an old Node or an odd home folder: run uncached
  }

  const bundle = new URL("../../cli/gameday.mjs", import.meta.url);
  const program = new URL("./program.js", import.meta.url);
  const bundled = mtimeMs(bundle);
  await import((bundled >= mtimeMs(program) && bundled > Number.NEGATIVE_INFINITY ? bundle : program).href);
}
