import { accessSync, constants } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

export const TOXIPROXY_VERSION = "2.12.0";

/** Built tools live outside the repo, keyed by version, so clean clones reuse them. */
export function toolsDir(): string {
  return process.env.GAMEDAY_TOOLS ?? join(homedir(), ".cache", "gameday-tools");
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export class ToolNotFoundError extends Error {
  readonly code = "E_TOOL_MISSING";
}

function locate(what: string, envVar: string, candidates: string[], names: string[]): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (executable(fromEnv)) return fromEnv;
    throw new ToolNotFoundError(`${envVar}=${fromEnv} is not an executable file`);
  }
  for (const c of candidates) if (executable(c)) return c;
  for (const n of names) {
    const found = onPath(n);
    if (found) return found;
  }
  throw new ToolNotFoundError(
    `${what} not found (tried $${envVar}, ${candidates.join(", ")}, and ${names.join(", ")} on PATH); ` +
      "run scripts/setup.sh (or .ci/run) to install it",
  );
}

export function toxiproxyServerBin(): string {
  const dir = join(toolsDir(), `toxiproxy-${TOXIPROXY_VERSION}`, "bin");
  return locate(
    "toxiproxy-server",
    "TOXIPROXY_SERVER",
    [join(dir, "toxiproxy-server"), join(dir, "server")],
    ["toxiproxy-server"],
  );
}

export function prometheusBin(): string {
  return locate("prometheus", "PROMETHEUS_BIN", ["/usr/bin/prometheus"], ["prometheus"]);
}
