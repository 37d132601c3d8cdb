import { InfrastructureError } from "../errors/gameday-error.js";
import { type ControlContext, ownedPid, startComponent, stopComponent } from "./component-control.js";
import { commandLine, isOurProcess } from "./process-control.js";
import type { ComponentSpec } from "./sandbox-components.js";

const fmt = (breaks: string[]) => `[${breaks.join(",")}]`;

/**
 * A sandbox service: keep it when it runs the expected config, restart it when its config (its
 * SANDBOX_BREAK switches, say) changed, and refuse to touch one another sandbox started.
 */
export async function ensureService(spec: ComponentSpec, ctx: ControlContext): Promise<void> {
  const expected = spec.expectedConfig?.();
  if (!expected) throw new Error(`${spec.name} is not a service`);
  const probe = await spec.probe();
  const running = probe.service;
  if (probe.healthy && running) {
    if (running.instance !== ctx.layout.stateDir) {
      const who = running.instance ? `by the sandbox in ${running.instance}` : "by hand";
      throw new InfrastructureError(
        `${spec.name}: ${spec.endpoint} is served by a sandbox ${spec.name} (pid ${running.pid}) started ${who}; ` +
          "stop it first (gameday sandbox down with its state dir)",
      );
    }
    if (JSON.stringify(running.config) === JSON.stringify(expected)) {
      const rec = ctx.state.components[spec.name];
      ctx.state.components[spec.name] = {
        pid: running.pid,
        owned: true,
        argv: commandLine(running.pid) ?? rec?.argv ?? [],
        logFile: spec.logFile,
        startedAt: rec?.startedAt ?? null,
      };
      ctx.log(`${spec.name}: running (pid ${running.pid}, switches ${fmt(running.config.breaks)})`);
      return;
    }
    if (!isOurProcess(running.pid, spec.recognizes)) {
      throw new InfrastructureError(
        `${spec.name}: pid ${running.pid} does not look like a sandbox service; not stopping it`,
      );
    }
    const why =
      fmt(running.config.breaks) !== fmt(expected.breaks)
        ? `to change switches ${fmt(running.config.breaks)} -> ${fmt(expected.breaks)}`
        : "because its configuration changed";
    await stopComponent(spec, running.pid, ctx, why);
  } else {
    // Unhealthy: a hung process of ours still holds the port, so it goes first.
    const pid = ownedPid(spec, ctx.state);
    if (pid !== undefined) await stopComponent(spec, pid, ctx, `(unhealthy: ${probe.detail})`);
  }
  await startComponent(spec, ctx);
}
