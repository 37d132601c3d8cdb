import type { V1Container, V1PodTemplateSpec } from "@kubernetes/client-node";
import { PreflightError, RollbackError } from "../../errors/gameday-error.js";
import type { KubernetesTarget } from "../../targets/kubernetes-target-schema.js";
import { type KubeClient, openKubeClient } from "../kubernetes/kube-client.js";
import { isNotFound } from "../kubernetes/kube-errors.js";
import { waitUntil } from "../kubernetes/wait-until.js";
import { parseWorkload, type Workload, WorkloadApi } from "../kubernetes/workload-api.js";
import { KUBE_CONFIG } from "./config-owner.js";

export interface KubeEnvPatch {
  context?: string | undefined;
  namespace: string;
  workload: string;
  container?: string | undefined;
  env: Record<string, string>;
}

export interface KubeWorkloadRef {
  client: KubeClient;
  api: WorkloadApi;
  namespace: string;
  name: string;
  workload: Workload;
  container: string;
}

/** Resolves the workload and container against the allow-list and the API server; nothing is changed. */
export async function resolveWorkload(target: KubernetesTarget, p: KubeEnvPatch): Promise<KubeWorkloadRef> {
  if (!target.namespaces.includes(p.namespace))
    throw new PreflightError(
      `namespace ${p.namespace} is not in the target's allow-list (${target.namespaces.join(", ")})`,
    );
  const client = openKubeClient(target, p.context);
  const { kind, name } = parseWorkload(p.workload);
  const api = new WorkloadApi(client, kind);
  let workload: Workload;
  try {
    workload = await api.read(p.namespace, name);
  } catch (err) {
    if (isNotFound(err)) throw new PreflightError(`no ${kind} ${name} in namespace ${p.namespace}`);
    throw err;
  }
  const owner = workload.metadata?.annotations?.[KUBE_CONFIG.priorTemplate];
  if (owner)
    throw new PreflightError(
      `${p.workload} is already patched by ${workload.metadata?.annotations?.[KUBE_CONFIG.owner]}; run gameday recover`,
    );
  const containers = workload.spec?.template.spec?.containers ?? [];
  const container = p.container ?? containers[0]?.name;
  if (!container || !containers.some((c) => c.name === container))
    throw new PreflightError(
      `${p.workload} has no container "${p.container}" (it has ${containers.map((c) => c.name).join(", ")})`,
    );
  return { client, api, namespace: p.namespace, name, workload, container };
}

/** Canonical JSON (sorted keys), so "exactly the prior template" is a string comparison. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function withEnv(
  template: V1PodTemplateSpec,
  container: string,
  env: Record<string, string>,
): V1PodTemplateSpec {
  const copy = structuredClone(template);
  for (const c of (copy.spec?.containers ?? []) as V1Container[]) {
    if (c.name !== container) continue;
    const rest = (c.env ?? []).filter((e) => !Object.hasOwn(env, e.name));
    c.env = [...rest, ...Object.entries(env).map(([name, value]) => ({ name, value }))];
  }
  return copy;
}

/** Rolled out: the controller saw the latest spec and every wanted replica is updated and Ready. */
export async function waitRollout(
  ref: Pick<KubeWorkloadRef, "api" | "namespace" | "name">,
  timeoutMs = 120_000,
) {
  const r = await waitUntil(
    async () => {
      const w = await ref.api.read(ref.namespace, ref.name);
      const wanted = w.spec?.replicas ?? 1;
      const s = w.status;
      const observed = (s?.observedGeneration ?? 0) >= (w.metadata?.generation ?? 0);
      const updated = s?.updatedReplicas ?? 0;
      const ready = s?.readyReplicas ?? 0;
      const total = s?.replicas ?? 0;
      const sts =
        "currentRevision" in (s ?? {})
          ? (s as { currentRevision?: string; updateRevision?: string })
          : undefined;
      const revisionsMatch = !sts || sts.currentRevision === sts.updateRevision;
      if (observed && updated === wanted && ready === wanted && total === wanted && revisionsMatch)
        return { done: true, value: w };
      return {
        done: false,
        reason: `${updated}/${wanted} updated, ${ready} ready, ${total} total${observed ? "" : ", not yet observed"}`,
      };
    },
    timeoutMs,
    500,
  );
  if (!r.ok)
    throw new Error(`rollout of ${ref.api.kind}/${ref.name} did not finish in ${timeoutMs} ms: ${r.reason}`);
  return r.value;
}

/**
 * Patches the container's environment. The exact prior pod template is stored in an annotation
 * of the workload itself in the same write, with the owner labels, so a revert (or `gameday
 * recover`, without the journal) writes it back verbatim.
 */
export async function applyEnvPatch(
  ref: KubeWorkloadRef,
  env: Record<string, string>,
  owner: { ownerTag: string; runId: string; change: string },
): Promise<void> {
  const template = ref.workload.spec?.template as V1PodTemplateSpec;
  await ref.api.patch(ref.namespace, ref.name, {
    metadata: {
      labels: {
        [KUBE_CONFIG.managedBy]: "gameday",
        [KUBE_CONFIG.run]: owner.runId,
        [KUBE_CONFIG.change]: owner.change,
      },
      annotations: { [KUBE_CONFIG.owner]: owner.ownerTag, [KUBE_CONFIG.priorTemplate]: canonical(template) },
    },
    spec: { template: withEnv(template, ref.container, env) },
  });
  const w = await waitRollout(ref);
  const c = w.spec?.template.spec?.containers.find((x) => x.name === ref.container);
  const missing = Object.entries(env).filter(([k, v]) => !c?.env?.some((e) => e.name === k && e.value === v));
  if (missing.length)
    throw new Error(`${ref.api.kind}/${ref.name}: ${missing.map(([k]) => k).join(", ")} not in effect`);
}

/**
 * Writes the stored template back (a JSON merge patch cannot delete list entries or keys reliably,
 * so the whole object is replaced), drops our labels and annotations, waits for the rollout and
 * verifies the template equals the prior one exactly.
 */
export async function restoreEnvPatch(api: WorkloadApi, namespace: string, name: string): Promise<void> {
  let w: Workload;
  try {
    w = await api.read(namespace, name);
  } catch (err) {
    if (isNotFound(err)) return; // the workload is gone: nothing of ours remains in it
    throw err;
  }
  const stored = w.metadata?.annotations?.[KUBE_CONFIG.priorTemplate];
  if (!stored) return;
  const prior = JSON.parse(stored) as V1PodTemplateSpec;
  const meta = w.metadata ?? {};
  const labels = { ...meta.labels };
  delete labels[KUBE_CONFIG.run];
  delete labels[KUBE_CONFIG.change];
  if (labels[KUBE_CONFIG.managedBy] === "gameday") delete labels[KUBE_CONFIG.managedBy];
  const annotations = { ...meta.annotations };
  delete annotations[KUBE_CONFIG.owner];
  delete annotations[KUBE_CONFIG.priorTemplate];
  const body = {
    ...w,
    metadata: { ...meta, labels, annotations },
    spec: { ...w.spec, template: prior },
  } as Workload;
  const apps = api.client.apps;
  if (api.kind === "deployment") await apps.replaceNamespacedDeployment({ namespace, name, body });
  else await apps.replaceNamespacedStatefulSet({ namespace, name, body: body as never });
  const after = await waitRollout({ api, namespace, name });
  if (canonical(after.spec?.template) !== canonical(prior))
    throw new RollbackError(`${api.kind}/${name}: the pod template differs from the one before the patch`);
  if (after.metadata?.annotations?.[KUBE_CONFIG.priorTemplate])
    throw new RollbackError(`${api.kind}/${name}: still carries the owner annotation`);
}

/** Patched workloads of one run (or of every run) in the allow-listed namespaces. */
export async function listPatched(client: KubeClient, namespaces: readonly string[], runId?: string) {
  const selector = runId === undefined ? `${KUBE_CONFIG.run}` : `${KUBE_CONFIG.run}=${runId}`;
  const out: { api: WorkloadApi; namespace: string; workload: Workload }[] = [];
  for (const namespace of namespaces)
    for (const kind of ["deployment", "statefulset"] as const) {
      const api = new WorkloadApi(client, kind);
      for (const workload of await api.list(namespace, selector)) out.push({ api, namespace, workload });
    }
  return out;
}
