import { InfrastructureError, PreflightError, RollbackError } from "../../errors/gameday-error.js";
import type { KubernetesFaultSpec } from "../../experiment/kubernetes-fault-schema.js";
import type { FaultSpec } from "../../experiment/schema.js";
import type {
  ActiveFault,
  FaultInjector,
  InjectContext,
  OrphanFault,
  PlannedFault,
} from "../../interfaces/injector.js";
import type { KubernetesTarget } from "../../targets/kubernetes-target-schema.js";
import { revertError } from "../revert-error.js";
import { type KubeClient, openKubeClient } from "./kube-client.js";
import { kubeErrorText } from "./kube-errors.js";
import { type KubernetesOrphan, listKubeOrphans, revertKubeOrphan } from "./kubernetes-orphans.js";
import { asToxiproxyFault, checkClusterToxiproxy, clusterToxiproxyInjector } from "./network-fault.js";
import { describeSelection, matchingPods, podName } from "./select-pods.js";
import { startPodDelete } from "./start-pod-delete.js";
import { readWorkload, startScale } from "./start-scale.js";
import { startStress } from "./start-stress.js";

function specOf(fault: FaultSpec): KubernetesFaultSpec {
  if (!fault.kubernetes) throw new PreflightError(`fault "${fault.name}" is not a kubernetes fault`);
  return fault.kubernetes;
}

/** Pod deletion, scale to zero, memory pressure and in-cluster Toxiproxy toxics, in allow-listed namespaces. */
export class KubernetesInjector implements FaultInjector {
  readonly family = "kubernetes";
  private readonly clients = new Map<string, KubeClient>();

  constructor(private readonly target: KubernetesTarget) {}

  async plan(fault: FaultSpec): Promise<PlannedFault> {
    const spec = specOf(fault);
    if (spec.action === "memory-pressure") this.stressImage(fault.name, spec);
    const client = this.client(fault.name, spec);
    const at = `(context ${client.context})`;
    if (spec.action === "network") {
      const tp = this.toxiproxy(fault.name);
      const ref = await checkClusterToxiproxy(client, tp, fault.name);
      const inner = await clusterToxiproxyInjector(tp).plan(asToxiproxyFault(fault));
      return { ...inner, family: this.family, action: `${inner.action} through ${ref} ${at}` };
    }
    if (spec.action === "scale-to-zero") {
      const w = await readWorkload(client, spec, fault.name);
      const action = `scale ${spec.workload} in ${spec.namespace} from ${w.spec?.replicas ?? 1} to 0 replicas, then restore ${at}`;
      return {
        fault: fault.name,
        family: this.family,
        action,
        targets: [`${spec.workload} in ${spec.namespace}`],
      };
    }
    const pods = await matchingPods(client, spec, fault.name);
    const verb = spec.action === "pod-delete" ? "delete" : `put ${spec.memory} of memory pressure beside`;
    return {
      fault: fault.name,
      family: this.family,
      action: `${verb} ${describeSelection(spec, pods.length)} ${at}`,
      targets: pods.map(
        (p) => `pod ${spec.namespace}/${podName(p)} on node ${p.spec?.nodeName ?? "(unscheduled)"}`,
      ),
    };
  }

  async inject(fault: FaultSpec, ctx: InjectContext): Promise<ActiveFault> {
    const spec = specOf(fault);
    const client = this.client(fault.name, spec);
    switch (spec.action) {
      case "pod-delete":
        return startPodDelete(client, spec, fault.name, ctx.runId, ctx.installation);
      case "scale-to-zero":
        return startScale(client, spec, fault.name, ctx.runId, ctx.installation);
      case "memory-pressure":
        return startStress(
          client,
          spec,
          fault.name,
          ctx.runId,
          fault.for,
          this.stressImage(fault.name, spec),
          ctx.installation,
        );
      case "network":
        return clusterToxiproxyInjector(this.toxiproxy(fault.name)).inject(asToxiproxyFault(fault), ctx);
    }
  }

  /** Every allowed context (not only the first), every allowed namespace; one object seen twice counts once. */
  async findOrphans(runId?: string): Promise<OrphanFault[]> {
    const found: OrphanFault[] = [];
    const seen = new Set<string>();
    for (const context of this.target.contexts) {
      const client = this.client("recover", undefined, context);
      let listed: KubernetesOrphan[];
      try {
        listed = await listKubeOrphans(client, this.target.namespaces, runId);
      } catch (err) {
        throw new InfrastructureError(
          `cannot list gameday-labelled objects via context ${client.context}: ${kubeErrorText(err, "list", "deployments, statefulsets and pods", this.target.namespaces.join(", "))}`,
          { cause: err },
        );
      }
      for (const o of listed) {
        const key = `${client.server} ${o.namespace} ${o.kind} ${o.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push(o);
      }
    }
    if (this.target.toxiproxy) {
      const toxics = await clusterToxiproxyInjector(this.target.toxiproxy).findOrphans(runId);
      for (const t of toxics) found.push({ ...t, family: this.family, via: "toxiproxy" } as OrphanFault);
    }
    return found;
  }

  async revertOrphan(orphan: OrphanFault): Promise<void> {
    if ((orphan as { via?: string }).via === "toxiproxy" && this.target.toxiproxy)
      return clusterToxiproxyInjector(this.target.toxiproxy).revertOrphan(orphan);
    const o = orphan as KubernetesOrphan;
    if (!o.kind || !o.namespace)
      throw new RollbackError(`kubernetes orphan ${orphan.ownerTag} is not one this injector listed`);
    if (!this.target.namespaces.includes(o.namespace))
      throw new RollbackError(`namespace ${o.namespace} is not in the target's allow-list`);
    try {
      await revertKubeOrphan(this.client("recover", undefined, o.context), o);
    } catch (err) {
      throw revertError(err, o.description);
    }
  }

  /** From the targets file only: an experiment must not choose what runs in the cluster. */
  private stressImage(fault: string, spec: KubernetesFaultSpec): string {
    if ("image" in spec && spec.image !== undefined)
      throw new PreflightError(
        `fault "${fault}": the stress image cannot come from the experiment (image: ${spec.image.slice(0, 80)}); the targets file sets kubernetes.stressImage, pinned by digest`,
      );
    if (!this.target.stressImage)
      throw new PreflightError(
        `fault "${fault}": the target's kubernetes entry has no stressImage (an image with stress-ng, pinned by digest: name@sha256:...)`,
      );
    return this.target.stressImage;
  }

  private toxiproxy(fault: string) {
    const tp = this.target.toxiproxy;
    if (!tp)
      throw new PreflightError(
        `fault "${fault}": the target's kubernetes entry has no toxiproxy (namespace, url, proxies)`,
      );
    this.checkNamespace(fault, tp.namespace);
    return tp;
  }

  private checkNamespace(fault: string, namespace: string): void {
    if (!this.target.namespaces.includes(namespace))
      throw new PreflightError(
        `fault "${fault}": namespace "${namespace}" is not in the target's kubernetes allow-list (allowed: ${this.target.namespaces.join(", ")})`,
      );
  }

  private client(fault: string, spec?: KubernetesFaultSpec, context?: string): KubeClient {
    if (spec && "namespace" in spec) this.checkNamespace(fault, spec.namespace);
    const name = context ?? spec?.context ?? this.target.contexts[0] ?? "";
    if (spec?.context !== undefined && !this.target.contexts.includes(spec.context))
      throw new PreflightError(
        `fault "${fault}": kubernetes context "${spec.context}" is not in the target's allow-list (allowed: ${this.target.contexts.join(", ")})`,
      );
    let client = this.clients.get(name);
    if (!client) {
      client = openKubeClient(this.target, name);
      this.clients.set(name, client);
    }
    return client;
  }
}
