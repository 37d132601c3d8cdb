import { SERVICE_NAMES, type ServiceName } from "../../sandbox-services/lib/topology.js";
import { ExitCode, GamedayError } from "../errors/gameday-error.js";
import type { LoadGenerator } from "../load/load-generator.js";
import {
  type ControlContext,
  ownedPid,
  startComponent,
  stopComponent,
} from "../sandbox/component-control.js";
import { componentSpecs } from "../sandbox/sandbox-components.js";
import { sandboxEndpoints } from "../sandbox/sandbox-endpoints.js";
import { resolveLayout } from "../sandbox/sandbox-layout.js";
import { readState, writeState } from "../sandbox/sandbox-state.js";
import type { DrillFaults } from "./drill-faults.js";
import type { Drill } from "./drill-schema.js";
import { MITIGATION_NAMES, type Mitigation } from "./mechanisms.js";

/** A mitigation the drill does not offer, or one without what it needs: HTTP 400, nothing changed. */
export class MitigationRefusedError extends GamedayError {
  constructor(message: string) {
    super("E_MITIGATION_REFUSED", message, ExitCode.invalid);
  }
}

export interface MitigationRequest {
  action: string;
  service?: string | undefined;
}

export interface MitigationDeps {
  drill: Drill;
  faults: DrillFaults;
  load: LoadGenerator;
  /** The process sandbox's state folder (restart-service); undefined when the target is not one. */
  sandboxDir?: string | undefined;
}

/** Refuses what the drill does not offer before anything is touched. */
export function checkMitigation(
  req: MitigationRequest,
  drill: Drill,
): { action: Mitigation; service?: ServiceName } {
  const offered = drill.spec.mitigations;
  if (!(MITIGATION_NAMES as readonly string[]).includes(req.action))
    throw new MitigationRefusedError(
      `unknown mitigation "${String(req.action).slice(0, 60)}": this drill offers ${offered.join(", ") || "none"}`,
    );
  const action = req.action as Mitigation;
  if (!offered.includes(action))
    throw new MitigationRefusedError(
      `the sandbox does not offer "${action}" in this drill: it offers ${offered.join(", ") || "none"}`,
    );
  if (action !== "restart-service") return { action };
  if (!req.service || !(SERVICE_NAMES as readonly string[]).includes(req.service))
    throw new MitigationRefusedError(`restart-service needs a service: one of ${SERVICE_NAMES.join(", ")}`);
  return { action, service: req.service as ServiceName };
}

/** Restarts one process-sandbox service the way `sandbox up` started it (same switches, same log). */
async function restartService(sandboxDir: string, service: ServiceName): Promise<string> {
  const layout0 = resolveLayout({ stateDir: sandboxDir });
  const state = readState(layout0);
  if (!state)
    throw new MitigationRefusedError(`no process sandbox in ${sandboxDir}: restart-service is not available`);
  const layout = resolveLayout({ stateDir: sandboxDir }, state.ports);
  const specs = componentSpecs(layout, sandboxEndpoints(layout, state.breaks), state.breaks);
  const spec = specs[service];
  const ctx: ControlContext = { layout, state, log: () => {}, startTimeoutMs: 20_000 };
  const pid = ownedPid(spec, state);
  if (pid === undefined)
    throw new MitigationRefusedError(`${service} is not a process this sandbox started: not restarting it`);
  await stopComponent(spec, pid, ctx, "(incident drill: restart-service)");
  try {
    await startComponent(spec, ctx);
  } finally {
    writeState(layout, state);
  }
  return `restarted ${service} (pid ${pid} -> ${state.components[service]?.pid ?? "?"})`;
}

/**
 * Carries out an offered mitigation on the sandbox. Besides its own effect, an action the drill
 * lists under spec.clearedBy ends the scenario, as the real fix would: the drill's faults are
 * reverted early (and verified) through the run's own fault handles. A restart of a service also
 * clears the app faults that service held (they lived in its memory), whether listed or not.
 */
export async function applyMitigation(
  checked: { action: Mitigation; service?: ServiceName },
  deps: MitigationDeps,
): Promise<{ detail: string; cleared: string[] }> {
  const parts: string[] = [];
  let wiped: string[] = [];
  if (checked.action === "restart-service") {
    const { sandboxDir } = deps;
    if (!sandboxDir)
      throw new MitigationRefusedError("restart-service needs the process sandbox (--sandbox-dir)");
    const service = checked.service as ServiceName;
    // A restarted process comes back without the app faults it carried in memory: that clears
    // them as the restart would in production, so it is scored like any clearing mitigation.
    const restarted = await deps.faults.restarting(service, () => restartService(sandboxDir, service));
    parts.push(restarted.result);
    wiped = restarted.wiped;
  } else if (checked.action === "shed-load") {
    parts.push(`load shed at the edge: now ${deps.load.scaleRate(0.5).toFixed(1)} requests/s`);
  } else {
    parts.push("configuration rolled back to the last known good version");
  }
  const clears = deps.drill.spec.clearedBy.some(
    (c) => c.action === checked.action && (c.service === undefined || c.service === checked.service),
  );
  const cleared = [...wiped, ...(clears ? await deps.faults.revertEarly() : [])];
  return { detail: parts.join("; "), cleared };
}
