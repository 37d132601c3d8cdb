import {
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1StatefulSet,
} from "@kubernetes/client-node";
import type { KubeClient } from "./kube-client.js";

export type WorkloadKind = "deployment" | "statefulset";
export type Workload = V1Deployment | V1StatefulSet;

const MERGE = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** Deployments and StatefulSets read, patch and list alike; this hides which one it is. */
export class WorkloadApi {
  constructor(
    readonly client: KubeClient,
    readonly kind: WorkloadKind,
  ) {}

  get resource(): string {
    return this.kind === "deployment" ? "deployments" : "statefulsets";
  }

  read(namespace: string, name: string): Promise<Workload> {
    const apps = this.client.apps;
    return this.kind === "deployment"
      ? apps.readNamespacedDeployment({ namespace, name })
      : apps.readNamespacedStatefulSet({ namespace, name });
  }

  /** A JSON merge patch: replicas and our labels and annotations change in one atomic write. */
  patch(namespace: string, name: string, body: object): Promise<Workload> {
    const apps = this.client.apps;
    return this.kind === "deployment"
      ? apps.patchNamespacedDeployment({ namespace, name, body }, MERGE)
      : apps.patchNamespacedStatefulSet({ namespace, name, body }, MERGE);
  }

  async list(namespace: string, labelSelector: string): Promise<Workload[]> {
    const apps = this.client.apps;
    const res =
      this.kind === "deployment"
        ? await apps.listNamespacedDeployment({ namespace, labelSelector })
        : await apps.listNamespacedStatefulSet({ namespace, labelSelector });
    return res.items;
  }
}

export function parseWorkload(ref: string): { kind: WorkloadKind; name: string } {
  const [kind, name] = ref.split("/") as [WorkloadKind, string];
  return { kind, name };
}

/** Ready means every wanted replica is updated and Ready, and the controller has seen the latest spec. */
export function readyState(w: Workload): { ready: boolean; text: string } {
  const wanted = w.spec?.replicas ?? 1;
  const ready = w.status?.readyReplicas ?? 0;
  const observed = (w.status?.observedGeneration ?? 0) >= (w.metadata?.generation ?? 0);
  return {
    ready: observed && ready === wanted && (w.status?.replicas ?? 0) === wanted,
    text: `${ready}/${wanted} replicas Ready${observed ? "" : ", controller has not observed the change yet"}`,
  };
}
