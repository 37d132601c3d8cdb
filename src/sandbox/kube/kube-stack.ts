import { join, resolve } from "node:path";
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Node } from "@kubernetes/client-node";
import { SERVICE_NAMES } from "../../../sandbox-services/lib/topology.js";
import { InfrastructureError, PreflightError } from "../../errors/gameday-error.js";
import { isReady } from "../../faults/kubernetes/select-pods.js";
import { readyState } from "../../faults/kubernetes/workload-api.js";
import { probeOk, probeService, waitFor } from "../health-probes.js";
import { targetsUp } from "../prometheus-config.js";
import { type SandboxEndpoints, sandboxEndpoints } from "../sandbox-endpoints.js";
import { packageRoot, resolveLayout } from "../sandbox-layout.js";
import { validBreaks } from "../valid-breaks.js";
import { writeKubeOverlay } from "./kube-overlay.js";
import {
  KUBE_CONTEXT,
  KUBE_NAMESPACE,
  type KubeSandboxOptions,
  kubeconfigOf,
  kubePorts,
  NODE_IMAGES,
  READ_ONLY_PORT_ANNOTATION,
  REAL_NODE_LABEL,
} from "./kube-sandbox-config.js";
import { type KubectlTarget, kubectl } from "./kubectl.js";

export type KubeEndpoints = SandboxEndpoints & {
  runtime: "kubernetes";
  kubeconfig: string;
  context: string;
  namespace: string;
  node: string;
};

function setup(opts: KubeSandboxOptions) {
  const root = packageRoot();
  const target: KubectlTarget = {
    kubeconfig: kubeconfigOf(opts, root),
    context: opts.context ?? KUBE_CONTEXT,
  };
  const stateDir = resolve(opts.stateDir ?? join(process.cwd(), ".gameday", "kube-sandbox"));
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(target.kubeconfig);
  } catch (err) {
    throw new PreflightError(
      `cannot read kubeconfig ${target.kubeconfig} (${(err as Error).message}): start the local cluster with \`bash scripts/kube/control-plane.sh start\``,
      { cause: err },
    );
  }
  if (!kc.getContexts().some((c) => c.name === target.context))
    throw new PreflightError(`kubeconfig ${target.kubeconfig} has no context "${target.context}"`);
  kc.setCurrentContext(target.context);
  return {
    root,
    target,
    stateDir,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
  };
}

type Setup = ReturnType<typeof setup>;

/** The real node must be Ready and hold every image: there is no registry to pull a missing one from. */
async function realNode(s: Setup): Promise<V1Node> {
  let nodes: V1Node[];
  try {
    nodes = (await s.core.listNode({ labelSelector: REAL_NODE_LABEL })).items;
  } catch (err) {
    throw new PreflightError(
      `the cluster of ${s.target.kubeconfig} (context ${s.target.context}) does not answer: ${(err as Error).message}; start it with \`bash scripts/kube/control-plane.sh start\``,
      { cause: err },
    );
  }
  const node = nodes[0];
  if (!node)
    throw new PreflightError(
      `no node labelled ${REAL_NODE_LABEL} in the cluster (kwok nodes run no containers): start the real node with \`bash scripts/kube/control-plane.sh start\``,
    );
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  if (ready?.status !== "True")
    throw new PreflightError(
      `node ${node.metadata?.name} is NotReady (${ready?.reason ?? "no Ready condition"}: ${ready?.message ?? ""}); nothing was deployed`,
    );
  const have = new Set((node.status?.images ?? []).flatMap((i) => i.names ?? []));
  const missing = NODE_IMAGES.filter((i) => !have.has(i));
  if (missing.length)
    throw new PreflightError(
      `node ${node.metadata?.name} lacks the image(s) ${missing.join(", ")}: build them with \`bash docker/build-images.sh\`, then \`bash scripts/kube/control-plane.sh start\` imports them; nothing was deployed`,
    );
  return node;
}

function endpointsOf(s: Setup, breaks: ReturnType<typeof validBreaks>, node: string): KubeEndpoints {
  const layout = resolveLayout({ stateDir: s.stateDir }, kubePorts());
  return {
    ...sandboxEndpoints(layout, breaks),
    runtime: "kubernetes",
    kubeconfig: s.target.kubeconfig,
    context: s.target.context,
    namespace: KUBE_NAMESPACE,
    node,
  };
}

/** Every Deployment of the namespace rolled out and every pod of it Ready (old pods gone). */
async function rolledOut(s: Setup): Promise<{ value?: true; detail: string }> {
  try {
    const deps = (await s.apps.listNamespacedDeployment({ namespace: KUBE_NAMESPACE })).items;
    const pending = deps
      .filter((d) => !readyState(d).ready)
      .map((d) => `${d.metadata?.name}: ${readyState(d).text}`);
    const pods = (await s.core.listNamespacedPod({ namespace: KUBE_NAMESPACE })).items;
    const notReady = pods
      .filter((p) => !isReady(p) && !p.metadata?.labels?.["gameday.dev/run-id"])
      .map((p) => `pod ${p.metadata?.name} ${p.status?.phase}${waitingReason(p)}`);
    if (deps.length === 0) return { detail: "no deployments yet" };
    if (pending.length || notReady.length) return { detail: [...pending, ...notReady].join("; ") };
    return { value: true, detail: "all Ready" };
  } catch (err) {
    return { detail: (err as Error).message };
  }
}

function waitingReason(p: import("@kubernetes/client-node").V1Pod): string {
  const w = p.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting;
  return w ? ` (${w.reason}${w.message ? `: ${w.message}` : ""})` : "";
}

async function waitUntilServing(s: Setup, e: KubeEndpoints, timeoutMs: number): Promise<void> {
  await waitFor(`the pods in ${KUBE_NAMESPACE} to be Ready`, () => rolledOut(s), timeoutMs, 250);
  await waitFor(
    `Toxiproxy on ${e.toxiproxyUrl}`,
    async () => {
      const p = await probeOk(`${e.toxiproxyUrl}/version`);
      return p.healthy ? { value: true, detail: "ok" } : { detail: p.detail };
    },
    timeoutMs,
  );
  for (const name of SERVICE_NAMES)
    await waitFor(
      `${name} on ${e.serviceUrls[name]}`,
      async () => {
        const p = await probeService(e.serviceUrls[name], name);
        const wanted = [...e.breaks].sort().join(",");
        if (p.healthy && [...(p.service?.config.breaks ?? [])].sort().join(",") !== wanted)
          return { detail: `still the pod with breaks [${p.service?.config.breaks.join(",")}]` };
        return p.healthy ? { value: true, detail: "ok" } : { detail: p.detail };
      },
      timeoutMs,
    );
  const since = Date.now();
  await waitFor(
    `Prometheus on ${e.prometheusUrl} to scrape the services`,
    () => targetsUp(e.prometheusUrl, since),
    timeoutMs,
    250,
  );
}

/**
 * `kubectl apply -k` of manifests/sandbox-node (through the overlay in the state dir) onto the real node,
 * then waits until every pod is Ready, every service answers on 127.0.0.1 and Prometheus scrapes them.
 * Applying the same thing again changes nothing, so up is idempotent.
 */
export async function kubeUp(opts: KubeSandboxOptions = {}): Promise<KubeEndpoints> {
  const log = opts.log ?? (() => {});
  const s = setup(opts);
  const breaks = validBreaks(opts.breaks ?? []);
  const node = await realNode(s);
  const roPort = Number(node.metadata?.annotations?.[READ_ONLY_PORT_ANNOTATION]);
  const dir = writeKubeOverlay(s.stateDir, s.root, breaks, Number.isInteger(roPort) ? roPort : undefined);
  const e = endpointsOf(s, breaks, node.metadata?.name ?? "?");
  log(`kubectl apply -k ${dir} (context ${s.target.context}, node ${e.node})`);
  await kubectl(s.target, ["apply", "-k", dir]);
  try {
    await waitUntilServing(s, e, opts.timeoutMs ?? 120_000);
  } catch (err) {
    const events = await kubectl(s.target, [
      "get",
      "events",
      "-n",
      KUBE_NAMESPACE,
      "--sort-by=.lastTimestamp",
    ]).catch(() => "");
    throw new InfrastructureError(
      `${(err as Error).message}\nlast events in ${KUBE_NAMESPACE}:\n${events.split("\n").slice(-12).join("\n")}`,
      { cause: err },
    );
  }
  log(`sandbox (kubernetes, namespace ${KUBE_NAMESPACE} on node ${e.node}) ready: gateway ${e.gatewayUrl}`);
  return e;
}

/** Deletes the namespace and everything in it (stress pods too), and waits until it is gone. */
export async function kubeDown(opts: KubeSandboxOptions = {}): Promise<void> {
  const s = setup(opts);
  await kubectl(s.target, [
    "delete",
    "namespace",
    KUBE_NAMESPACE,
    "--ignore-not-found",
    "--wait",
    "--timeout=120s",
  ]);
  const left = await s.core.listNamespacedPod({ namespace: KUBE_NAMESPACE }).catch(() => ({ items: [] }));
  if (left.items.length)
    throw new InfrastructureError(
      `namespace ${KUBE_NAMESPACE} was deleted but pods remain: ${left.items.map((p) => p.metadata?.name).join(", ")}`,
    );
  opts.log?.(`sandbox namespace ${KUBE_NAMESPACE} is gone`);
}

export async function kubeStatus(opts: KubeSandboxOptions = {}): Promise<string> {
  const s = setup(opts);
  return kubectl(s.target, ["get", "deployments,pods", "-n", KUBE_NAMESPACE, "-o", "wide"]);
}
