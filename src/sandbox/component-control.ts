import { InfrastructureError } from "../errors/gameday-error.js";
import { waitFor } from "./health-probes.js";
import { isOurProcess, logTail, sameArgv, spawnDetached, stopProcess } from "./process-control.js";
import type { ComponentSpec } from "./sandbox-components.js";
import type { SandboxLayout } from "./sandbox-layout.js";
import { type SandboxState, writeState } from "./sandbox-state.js";

export interface ControlContext {
  layout: SandboxLayout;
  state: SandboxState;
  log: (line: string) => void;
  startTimeoutMs: number;
}

/** The recorded pid of a component, when it is still the process we started. */
export function ownedPid(spec: ComponentSpec, state: SandboxState): number | undefined {
  const rec = state.components[spec.name];
  if (!rec?.owned || rec.pid === null) return undefined;
  return isOurProcess(rec.pid, sameArgv(rec.argv)) ? rec.pid : undefined;
}

/**
 * Spawns the component detached, records its pid before waiting (so `down` can clean up even if
 * the wait fails), and waits for its health check; an early exit fails at once with the log tail.
 */
export async function startComponent(spec: ComponentSpec, ctx: ControlContext): Promise<void> {
  const { argv, env } = spec.command();
  const child = spawnDetached(argv, env, spec.logFile, ctx.layout.packageRoot);
  if (child.pid === undefined) throw new InfrastructureError(`${spec.name}: could not start ${argv[0]}`);
  ctx.state.components[spec.name] = {
    pid: child.pid,
    owned: true,
    argv,
    logFile: spec.logFile,
    startedAt: new Date().toISOString(),
  };
  writeState(ctx.layout, ctx.state);
  ctx.log(`${spec.name}: started (pid ${child.pid}), log ${spec.logFile}`);
  try {
    await waitFor(
      `${spec.name} to become healthy on ${spec.endpoint}`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${spec.name} exited (${child.exitCode ?? child.signalCode}) while starting`);
        }
        const p = await spec.probe();
        return p.healthy ? { value: true, detail: p.detail } : { detail: p.detail };
      },
      ctx.startTimeoutMs,
    );
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new InfrastructureError(`${why}; last lines of ${spec.logFile}:\n${logTail(spec.logFile)}`, {
      cause: err,
    });
  }
}

/** Stops a process of ours, verifying it is gone. */
export async function stopComponent(
  spec: ComponentSpec,
  pid: number,
  ctx: ControlContext,
  why: string,
): Promise<void> {
  const result = await stopProcess(pid);
  ctx.log(`${spec.name}: stopped pid ${pid} (${result}) ${why}`);
}

/**
 * Toxiproxy and Prometheus: keep ours when healthy; use one someone else runs on the port (and
 * leave it running on `down`); otherwise start ours, replacing a hung or stale one.
 */
export async function ensureComponent(
  spec: ComponentSpec,
  ctx: ControlContext,
  restart = false,
): Promise<void> {
  const pid = ownedPid(spec, ctx.state);
  const probe = await spec.probe();
  if (probe.healthy && pid !== undefined && !restart) {
    ctx.log(`${spec.name}: running (pid ${pid})`);
    return;
  }
  if (probe.healthy && pid === undefined) {
    ctx.state.components[spec.name] = { pid: null, owned: false, argv: [], logFile: null, startedAt: null };
    ctx.log(
      `${spec.name}: using the one already answering on ${spec.endpoint} (not ours: down leaves it running)`,
    );
    return;
  }
  if (pid !== undefined)
    await stopComponent(spec, pid, ctx, restart ? "to reload its config" : "(unhealthy)");
  await startComponent(spec, ctx);
}
