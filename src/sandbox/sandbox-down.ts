import { SERVICE_NAMES } from "../../sandbox-services/lib/topology.js";
import { InfrastructureError } from "../errors/gameday-error.js";
import { isAlive, isOurProcess, type StopResult, sameArgv, stopProcess } from "./process-control.js";
import { componentSpecs } from "./sandbox-components.js";
import { sandboxEndpoints } from "./sandbox-endpoints.js";
import { resolveLayout, type SandboxLayoutOptions } from "./sandbox-layout.js";
import { COMPONENT_NAMES, type ComponentName, readState, removeState } from "./sandbox-state.js";

export interface SandboxDownOptions extends SandboxLayoutOptions {
  log?: (line: string) => void;
  /** Time between SIGTERM and SIGKILL; default 5 s. */
  graceMs?: number;
}

export interface SandboxDownResult {
  stateDir: string;
  components: Array<{
    name: ComponentName;
    pid: number | null;
    result: StopResult | "external" | "pid-reused";
  }>;
}

/**
 * Stops every process this sandbox started (found from the state file, and services found on
 * their ports that name this state dir), verifies they are gone, then removes the pid records.
 * Leaves alone what it did not start, and a recorded pid that now belongs to another program.
 */
export async function sandboxDown(opts: SandboxDownOptions = {}): Promise<SandboxDownResult> {
  const log = opts.log ?? (() => {});
  const state = readState(resolveLayout(opts));
  const layout = resolveLayout(opts, state?.ports);
  const breaks = state?.breaks ?? [];
  const specs = componentSpecs(layout, sandboxEndpoints(layout, breaks), breaks);
  const targets = new Map<ComponentName, { pid: number | null; matches?: (cmd: string[]) => boolean }>();
  for (const name of COMPONENT_NAMES) {
    const r = state?.components[name];
    if (r)
      targets.set(
        name,
        r.owned && r.pid !== null ? { pid: r.pid, matches: sameArgv(r.argv) } : { pid: r.pid },
      );
  }
  // A lost or stale state file must not leave services behind: they say on /health who started them.
  for (const name of SERVICE_NAMES) {
    const health = (await specs[name].probe()).service;
    if (health?.instance === layout.stateDir && targets.get(name)?.pid !== health.pid) {
      targets.set(name, { pid: health.pid, matches: specs[name].recognizes });
    }
  }
  const results: SandboxDownResult["components"] = [];
  const errors: string[] = [];
  await Promise.all(
    [...targets].map(async ([name, t]) => {
      if (t.pid === null || !t.matches) return results.push({ name, pid: t.pid, result: "external" });
      if (isAlive(t.pid) && !isOurProcess(t.pid, t.matches)) {
        log(`${name}: pid ${t.pid} now runs another program; left alone`);
        return results.push({ name, pid: t.pid, result: "pid-reused" });
      }
      try {
        const result = await stopProcess(t.pid, opts.graceMs);
        log(`${name}: ${result === "not-running" ? "was not running" : `stopped pid ${t.pid} (${result})`}`);
        results.push({ name, pid: t.pid, result });
      } catch (err) {
        errors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
  );
  if (errors.length > 0)
    throw new InfrastructureError(`sandbox down could not stop everything:\n${errors.join("\n")}`);
  removeState(layout);
  return { stateDir: layout.stateDir, components: results };
}
