import { MONITORING_COUNTERMEASURES } from "../../../sandbox-services/lib/countermeasures.js";
import { PreflightError, RollbackError } from "../../errors/gameday-error.js";
import type { Mutant } from "../../experiment/mutant-schema.js";
import { mutantEnv } from "../../experiment/mutant-schema.js";
import type { FaultSpec } from "../../experiment/schema.js";
import {
  type ActiveFault,
  type FaultInjector,
  type InjectContext,
  type OrphanFault,
  ownerTag,
  type PlannedFault,
} from "../../interfaces/injector.js";
import { envAllowed } from "../../targets/mutable-env-schema.js";
import type { Target } from "../../targets/targets-schema.js";
import { CONFIG_FAMILY, CONFIG_LABEL, type ConfigOrphan, KUBE_CONFIG } from "./config-owner.js";
import { type DiscoveredSandbox, discoverSandbox } from "./sandbox-discovery.js";
import { listSwitchMarkers, revertSwitch } from "./sandbox-switch.js";

const SANDBOX_WHERE: Record<DiscoveredSandbox["runtime"], (instance: string) => string> = {
  process: (instance) => `process sandbox ${instance}`,
  docker: () => "compose sandbox",
  kubernetes: () => "Kubernetes sandbox",
};

/** A mutant the target allows, resolved: what `plan` shows and `apply` changes. */
export interface PlannedChange extends PlannedFault {
  mutant: Mutant;
}

/** Variables the mutant sets that the target's mutableEnv does not allow (empty: allowed). */
export function disallowedEnv(target: Target, mutant: Mutant): string[] {
  return Object.keys(mutantEnv(mutant)).filter((k) => !envAllowed(target.mutableEnv, k));
}

const docker = async (target: Target) => {
  if (!target.docker) throw new PreflightError("the target has no docker entry");
  const { dockerClient } = await import("../docker/docker-client.js");
  return { client: dockerClient(target.docker.socket), target: target.docker };
};

/**
 * The one machinery for configuration gameday changes: a sandbox switch (SANDBOX_BREAK, through the
 * sandbox's own launcher or, for the compose sandbox, a container override), a Compose service
 * override and a Kubernetes env patch. Each is journalled by its caller, tagged with its owner in
 * the target, verified applied and reverted, and found by `gameday recover` without the journal.
 * Experiments do not (yet) declare config faults, so `plan`/`inject` of a FaultSpec refuse.
 */
export class ConfigInjector implements FaultInjector {
  readonly family = CONFIG_FAMILY;

  constructor(readonly target: Target) {}

  async plan(fault: FaultSpec): Promise<PlannedFault> {
    throw new PreflightError(
      `fault "${fault.name}": experiments have no config faults; mutants live in a GameDay`,
    );
  }

  async inject(fault: FaultSpec, _ctx: InjectContext): Promise<ActiveFault> {
    return this.plan(fault) as never;
  }

  /** Resolves the mutant against the allow-list and the live target; changes nothing. */
  async planChange(mutant: Mutant): Promise<PlannedChange> {
    const refused = disallowedEnv(this.target, mutant);
    if (refused.length)
      throw new PreflightError(
        `mutant ${mutant.name}: the target does not allow overriding ${refused.join(", ")} (mutableEnv)`,
      );
    const base = { fault: mutant.name, family: CONFIG_FAMILY, mutant };
    if (mutant.sandbox) {
      const found = await discoverSandbox(this.target);
      if (!found)
        throw new PreflightError(`mutant ${mutant.name}: no sandbox service of the target answers /health`);
      const where = SANDBOX_WHERE[found.runtime](found.instance);
      // A monitoring switch changes the sandbox's Prometheus, which only the process launcher
      // restarts: on the compose or Kubernetes sandbox the services would be "verified" switched
      // while the alerts still fire, and the mutant would survive a gate that is not there.
      if (
        found.runtime !== "process" &&
        MONITORING_COUNTERMEASURES.some((m) => m.name === mutant.sandbox?.break)
      )
        throw new PreflightError(
          `mutant ${mutant.name}: the ${mutant.sandbox.break} switch needs the process sandbox (its launcher restarts Prometheus); the ${where} keeps its Prometheus`,
        );
      if (found.runtime === "kubernetes") {
        const { planKubeSwitch } = await import("./kube-sandbox-switch.js");
        const kp = await planKubeSwitch(this.target, found, mutant.sandbox.break);
        return {
          ...base,
          action: `switch ${mutant.sandbox.break} (SANDBOX_BREAK=${kp.breaks.join(",")})`,
          targets: kp.refs.map((r) => `${r.ref.namespace}/deployment/${r.ref.name}`),
        };
      }
      return {
        ...base,
        action: `switch ${mutant.sandbox.break}`,
        targets: [`${where}: ${Object.keys(found.services).join(", ")}`],
      };
    }
    if (mutant.compose) {
      const d = await docker(this.target);
      const { serviceContainers } = await import("./compose-override.js");
      const found = await serviceContainers(d.client, d.target, mutant.compose);
      return {
        ...base,
        action: `recreate with ${Object.keys(mutant.compose.env).join(", ")}`,
        targets: found.map((c) => c.Names[0] ?? c.Id),
      };
    }
    const k = mutant.kubernetes;
    if (!k || !this.target.kubernetes)
      throw new PreflightError(`mutant ${mutant.name}: the target has no kubernetes entry`);
    const { resolveWorkload } = await import("./kube-env-patch.js");
    const ref = await resolveWorkload(this.target.kubernetes, k);
    return {
      ...base,
      action: `patch env ${Object.keys(k.env).join(", ")} of ${ref.container}`,
      targets: [`${k.namespace}/${k.workload}`],
    };
  }

  /** Applies and verifies the change; on a failed verification whatever was changed is reverted before the error. */
  async apply(plan: PlannedChange, ctx: InjectContext): Promise<ActiveFault> {
    const tag = ownerTag(ctx.runId, plan.mutant.name, ctx.installation);
    const active = await this.applyUnverified(plan.mutant, tag, ctx.runId).catch(async (err: unknown) => {
      // The tag is in the target from the first step on, so the sweep finds whatever half-applied.
      for (const o of await this.findOrphans(ctx.runId))
        if (o.ownerTag === tag) await this.revertOrphan(o).catch(() => {});
      throw new PreflightError(
        `mutant ${plan.mutant.name} could not be applied and verified (reverted): ${(err as Error).message}`,
        { cause: err },
      );
    });
    return active;
  }

  private async applyUnverified(m: Mutant, tag: string, runId: string): Promise<ActiveFault> {
    const owner = { ownerTag: tag, runId, change: m.name };
    const active = (
      description: string,
      revert: () => Promise<void>,
      verifyReverted: () => Promise<void>,
    ): ActiveFault => ({
      fault: m.name,
      family: CONFIG_FAMILY,
      ownerTag: tag,
      description,
      revert,
      verifyReverted,
      // Its owner tag is still on the target: someone reverting the mutant by hand shows up here.
      stillInPlace: async () =>
        (await this.findOrphans(runId)).some((o) => o.ownerTag === tag)
          ? { inPlace: true }
          : { inPlace: false, why: `mutant ${m.name} is no longer applied (its owner tag ${tag} is gone)` },
    });
    const gone = async () => {
      const left = (await this.findOrphans(runId)).filter((o) => o.ownerTag === tag);
      if (left.length) throw new RollbackError(`still applied: ${left.map((o) => o.description).join("; ")}`);
    };
    const revertMine = async () => {
      for (const o of await this.findOrphans(runId)) if (o.ownerTag === tag) await this.revertOrphan(o);
    };
    if (m.sandbox) {
      const found = await discoverSandbox(this.target);
      if (!found) throw new Error("no sandbox service answers /health");
      const prior = [...new Set(Object.values(found.services).flatMap((s) => s.breaks))];
      if (found.runtime === "process") {
        const { applySwitch } = await import("./sandbox-switch.js");
        const h = await applySwitch(this.target, found.instance, prior, {
          name: m.name,
          break: m.sandbox.break,
          ownerTag: tag,
          runId,
        });
        return active(`sandbox switch ${m.sandbox.break} on ${found.instance}`, h.revert, h.verifyReverted);
      }
      if (found.runtime === "kubernetes") {
        const { planKubeSwitch, applyKubeSwitch } = await import("./kube-sandbox-switch.js");
        await applyKubeSwitch(await planKubeSwitch(this.target, found, m.sandbox.break), found, owner);
        const restore = async () => {
          const mine = (await this.findOrphans(runId)).filter((o) => o.ownerTag === tag);
          // One Recreate rollout per service: restored side by side, not one after another.
          await Promise.all(mine.map((o) => this.revertOrphan(o)));
        };
        const restored = async () => {
          await gone();
          const { waitForSwitches } = await import("./kube-sandbox-switch.js");
          await waitForSwitches(found, prior);
        };
        return active(`sandbox switch ${m.sandbox.break} on the Kubernetes sandbox`, restore, restored);
      }
      // The compose sandbox: every service container recreated with the extra switch.
      const breaks = [...new Set([...prior, m.sandbox.break])].join(",");
      const d = await docker(this.target);
      const { serviceContainers, overrideContainer } = await import("./compose-override.js");
      for (const service of Object.keys(found.services))
        for (const c of await serviceContainers(d.client, d.target, {
          service,
          env: { SANDBOX_BREAK: breaks },
        }))
          await overrideContainer(d.client, c.Id, { SANDBOX_BREAK: breaks }, owner);
      return active(`sandbox switch ${m.sandbox.break} on the compose sandbox`, revertMine, gone);
    }
    if (m.compose) {
      const d = await docker(this.target);
      const { serviceContainers, overrideContainer } = await import("./compose-override.js");
      for (const c of await serviceContainers(d.client, d.target, m.compose))
        await overrideContainer(d.client, c.Id, m.compose.env, owner);
      return active(
        `compose service ${m.compose.service} with ${JSON.stringify(m.compose.env)}`,
        revertMine,
        gone,
      );
    }
    const k = m.kubernetes;
    if (!k || !this.target.kubernetes) throw new Error("no kubernetes entry");
    const { resolveWorkload, applyEnvPatch } = await import("./kube-env-patch.js");
    const ref = await resolveWorkload(this.target.kubernetes, k);
    await applyEnvPatch(ref, k.env, owner);
    return active(`${k.namespace}/${k.workload} env ${JSON.stringify(k.env)}`, revertMine, gone);
  }

  /** Every applied change carrying gameday's owner tag in this target (of one run, or all). */
  async findOrphans(runId?: string): Promise<ConfigOrphan[]> {
    const out: ConfigOrphan[] = [];
    const found = Object.keys(this.target.scrape).length
      ? await discoverSandbox(this.target).catch(() => undefined)
      : undefined;
    if (found?.runtime === "process")
      for (const m of listSwitchMarkers(found.instance))
        if (runId === undefined || m.runId === runId)
          out.push({
            family: CONFIG_FAMILY,
            form: "sandbox",
            ref: found.instance,
            ownerTag: m.ownerTag,
            runId: m.runId,
            description: `sandbox switch ${m.change} on ${m.stateDir}`,
          });
    if (this.target.docker) {
      const d = await docker(this.target);
      const { listOverrides, describeOverride } = await import("./compose-override.js");
      // Only the allow-listed projects: another target's overrides are not this target's to revert.
      const inScope = (c: { Labels: Record<string, string> }) =>
        d.target.projects.includes(c.Labels["com.docker.compose.project"] ?? "");
      for (const c of (await listOverrides(d.client, runId)).filter(inScope))
        out.push({
          family: CONFIG_FAMILY,
          form: "compose",
          ref: c.Id,
          ownerTag: c.Labels[CONFIG_LABEL.owner] ?? "",
          runId: c.Labels[CONFIG_LABEL.run] ?? "",
          description: describeOverride(c.Labels),
        });
    }
    const kube = this.target.kubernetes;
    if (kube) {
      const { openKubeClient } = await import("../kubernetes/kube-client.js");
      const { listPatched } = await import("./kube-env-patch.js");
      for (const context of kube.contexts)
        for (const p of await listPatched(openKubeClient(kube, context), kube.namespaces, runId)) {
          const meta = p.workload.metadata ?? {};
          out.push({
            family: CONFIG_FAMILY,
            form: "kubernetes",
            ref: `${context}/${p.namespace}/${p.api.kind}/${meta.name}`,
            ownerTag:
              meta.annotations?.[KUBE_CONFIG.owner] ?? meta.annotations?.[KUBE_CONFIG.legacyOwner] ?? "",
            runId: meta.labels?.[KUBE_CONFIG.run] ?? "",
            description: `${p.namespace}/${p.api.kind}/${meta.name} env patch`,
          });
        }
    }
    return out;
  }

  async revertOrphan(orphan: OrphanFault): Promise<void> {
    const o = orphan as ConfigOrphan;
    if (o.form === "sandbox") {
      const marker = listSwitchMarkers(o.ref).find((m) => m.ownerTag === o.ownerTag);
      if (marker) await revertSwitch(this.target, marker);
      return;
    }
    if (o.form === "compose") {
      const d = await docker(this.target);
      const { restoreOverride } = await import("./compose-override.js");
      const info = await d.client
        .getContainer(o.ref)
        .inspect()
        .catch(() => undefined);
      if (info) await restoreOverride(d.client, o.ref, info.Config.Labels ?? {});
      return;
    }
    const kube = this.target.kubernetes;
    if (!kube) throw new RollbackError(`${o.description}: the target has no kubernetes entry`);
    const [context, namespace, kind, name] = o.ref.split("/") as [
      string,
      string,
      "deployment" | "statefulset",
      string,
    ];
    const { openKubeClient } = await import("../kubernetes/kube-client.js");
    const { WorkloadApi } = await import("../kubernetes/workload-api.js");
    const { restoreEnvPatch } = await import("./kube-env-patch.js");
    await restoreEnvPatch(new WorkloadApi(openKubeClient(kube, context), kind), namespace, name);
  }
}
