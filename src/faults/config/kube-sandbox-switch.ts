import type { ServiceName } from "../../../sandbox-services/lib/topology.js";
import { PreflightError, RollbackError } from "../../errors/gameday-error.js";
import { probeService, waitFor } from "../../sandbox/health-probes.js";
import { KUBE_NAMESPACE } from "../../sandbox/kube/kube-sandbox-config.js";
import type { Target } from "../../targets/targets-schema.js";
import { applyEnvPatch, type KubeWorkloadRef, resolveWorkload } from "./kube-env-patch.js";
import type { DiscoveredSandbox } from "./sandbox-discovery.js";

/** How long the switched (or restored) pods may take to answer /health with the wanted switches. */
const SERVING_TIMEOUT_MS = 60_000;

export interface KubeSwitchPlan {
  refs: { service: ServiceName; ref: KubeWorkloadRef }[];
  /** The switches every service runs with once the mutant is applied. */
  breaks: string[];
}

/**
 * The sandbox on Kubernetes takes its switches from a ConfigMap that only `sandbox up` writes, so a
 * mutant sets SANDBOX_BREAK on each service's Deployment instead: the same env patch (prior pod
 * template stored in the workload, owner-tagged) that `gameday recover` finds and restores without
 * the journal. Resolves every Deployment first, so nothing changes unless all of them can.
 */
export async function planKubeSwitch(
  target: Target,
  found: DiscoveredSandbox,
  breakName: string,
): Promise<KubeSwitchPlan> {
  const kube = target.kubernetes;
  if (!kube)
    throw new PreflightError("the sandbox runs on Kubernetes but the target has no kubernetes entry");
  const prior = [...new Set(Object.values(found.services).flatMap((s) => s.breaks))];
  const breaks = [...new Set([...prior, breakName])];
  const refs = [];
  for (const service of Object.keys(found.services) as ServiceName[])
    refs.push({
      service,
      ref: await resolveWorkload(kube, {
        namespace: KUBE_NAMESPACE,
        workload: `deployment/${service}`,
        env: { SANDBOX_BREAK: breaks.join(",") },
      }),
    });
  return { refs, breaks };
}

/** Every service answers /health running exactly `breaks` (a Recreate rollout has a gap). */
export async function waitForSwitches(found: DiscoveredSandbox, breaks: readonly string[]): Promise<void> {
  const wanted = [...breaks].sort().join(",");
  for (const [name, s] of Object.entries(found.services))
    await waitFor(
      `${name} on ${s.url} to run with switches [${wanted}]`,
      async () => {
        const p = await probeService(s.url, name);
        const now = [...(p.service?.config.breaks ?? [])].sort().join(",");
        if (p.healthy && now === wanted) return { value: true, detail: "ok" };
        return { detail: p.healthy ? `runs with [${now}]` : p.detail };
      },
      SERVING_TIMEOUT_MS,
      250,
    );
}

/** Patches every service's Deployment at once (each rollout restarts one pod) and verifies the switch. */
export async function applyKubeSwitch(
  plan: KubeSwitchPlan,
  found: DiscoveredSandbox,
  owner: { ownerTag: string; runId: string; change: string },
): Promise<void> {
  const results = await Promise.allSettled(
    plan.refs.map(({ ref }) => applyEnvPatch(ref, { SANDBOX_BREAK: plan.breaks.join(",") }, owner)),
  );
  const failed = results.flatMap((r, i) =>
    r.status === "rejected" ? [`${plan.refs[i]?.service}: ${(r.reason as Error).message}`] : [],
  );
  if (failed.length) throw new RollbackError(`the switch did not roll out: ${failed.join("; ")}`);
  await waitForSwitches(found, plan.breaks);
}
