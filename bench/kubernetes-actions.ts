import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { faultSchema } from "../src/experiment/schema.js";
import type { ActivePodDelete } from "../src/faults/kubernetes/active-pod-delete.js";
import { KubernetesInjector } from "../src/faults/kubernetes/kubernetes-injector.js";
import { kubernetesTargetSchema } from "../src/targets/kubernetes-target-schema.js";
import {
  createNamespace,
  oomKillsOf,
  realDeployment,
  STRESS_IMAGE,
  waitDeploymentReady,
} from "../test/support/kube-cluster.js";
import { benchSandboxFaults } from "./kubernetes-sandbox-faults.js";
import type { BenchContext } from "./support/context.js";
import type { Metric, Section } from "./support/report.js";
import { median } from "./support/stats.js";

/** Works from bench/*.ts and dist/bench/*.js alike: the repo is where package.json is. */
function repoRoot(): string {
  const here = fileURLToPath(new URL(".", import.meta.url));
  return here.includes("/dist/bench") ? join(here, "../..") : join(here, "..");
}

const NS = "gd-bench";

/**
 * Inject and revert (including verification) latency of each Kubernetes action against the local
 * cluster's real node (containerd + runc + kubelet: real containers), pod deletion to a Ready
 * replacement as gameday observed it, and memory-pressure inject to the stress container's OOM kill.
 * Own state dir and ports (base 26500); the cluster is started and stopped here.
 */
export async function benchKubernetesActions(ctx: Pick<BenchContext, "quick" | "log">): Promise<Section> {
  const root = repoRoot();
  const state = join(root, ".gameday/kube-bench");
  const env = { ...process.env, GAMEDAY_KUBE_STATE: state, GAMEDAY_KUBE_PORT_BASE: "26500" };
  const script = join(root, "scripts/kube/control-plane.sh");
  const rounds = ctx.quick ? 3 : 7;
  ctx.log(`kubernetes: starting the control plane (${state})`);
  const t0 = Date.now();
  const started = spawnSync("bash", [script, "start"], {
    env,
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
  });
  const startS = (Date.now() - t0) / 1000;
  if (started.status !== 0) throw new Error(`control-plane.sh start failed: ${started.stderr}`);
  // "real node gameday-node Ready in N s": containerd, image check and kubelet to a Ready node.
  const nodeS = Number(/real node \S+ Ready in (\d+) s/.exec(started.stderr)?.[1] ?? Number.NaN);
  try {
    const kubeconfig = join(state, "kubeconfig");
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const cluster = { kubeconfig, core, apps };
    await createNamespace(cluster, NS);
    await apps.createNamespacedDeployment({ namespace: NS, body: realDeployment("web", 3) });
    // The controller-manager creates the pods a moment later: a selector that matches none is refused.
    await waitDeploymentReady(cluster, NS, "web", 120_000);
    const inj = new KubernetesInjector(
      kubernetesTargetSchema.parse({
        kubeconfig,
        contexts: ["gameday-admin"],
        namespaces: [NS],
        stressImage: STRESS_IMAGE, // imported into the real node's containerd; never pulled
      }),
    );
    const faults = {
      "pod-delete": { action: "pod-delete", namespace: NS, selector: "app=web" },
      "scale-to-zero": { action: "scale-to-zero", namespace: NS, workload: "deployment/web" },
      "memory-pressure": {
        action: "memory-pressure",
        namespace: NS,
        selector: "app=web",
        memory: "64Mi",
      },
    };
    const inject: Record<string, number[]> = Object.fromEntries(Object.keys(faults).map((k) => [k, []]));
    const revert: Record<string, number[]> = Object.fromEntries(Object.keys(faults).map((k) => [k, []]));
    const replaced: number[] = [];
    const oomAfter: number[] = [];
    await inj
      .inject(faultSchema.parse({ name: "warm", for: "1s", kubernetes: faults["pod-delete"] }), {
        runId: "warm",
        experiment: "bench",
      })
      .then((a) => a.verifyReverted());
    for (let r = 0; r < rounds; r++) {
      for (const [action, k] of Object.entries(faults)) {
        const fault = faultSchema.parse({ name: `b${r}`, for: "30s", kubernetes: k });
        const a = Date.now();
        const active = await inj.inject(fault, { runId: `bench${r}`, experiment: "bench" });
        const injected = Date.now();
        if (action === "memory-pressure") oomAfter.push((await untilOomKill(core, active)) - a);
        // Revert + verify is timed from here: the wait for the kill above is not the revert's.
        const b = Date.now();
        inject[action]?.push(injected - a);
        await active.revert();
        await active.verifyReverted();
        const c = Date.now();
        revert[action]?.push(c - b);
        if (action === "pod-delete") replaced.push((active as ActivePodDelete).replacedAfterMs ?? Number.NaN);
      }
    }
    const metrics: Metric[] = [
      { name: "cluster start: control plane + real node (warm binaries)", value: startS, unit: "s" },
      { name: "real node start: containerd + images + kubelet to Ready (warm)", value: nodeS, unit: "s" },
    ];
    for (const action of Object.keys(faults)) {
      metrics.push({ name: `${action}: inject, median`, value: median(inject[action] ?? []), unit: "ms" });
      metrics.push({
        name: `${action}: revert + verify, median`,
        value: median(revert[action] ?? []),
        unit: "ms",
      });
    }
    metrics.push({
      name: "pod deleted -> Ready replacement on the real node (gameday observed), median",
      value: median(replaced),
      unit: "ms",
    });
    metrics.push({
      name: "memory-pressure inject -> first OOM kill in the stress pod's cgroup (or OOMKilled status), median",
      value: median(oomAfter),
      unit: "ms",
    });
    // The sandbox's own experiments on the same node: the breaker as gameday saw it, and the
    // network action (in-cluster Toxiproxy) the rounds above do not cover.
    await core.deleteNamespace({ name: NS }).catch(() => undefined);
    const sandbox = await benchSandboxFaults({
      root,
      kubeconfig,
      rounds: ctx.quick ? 2 : 3,
      log: ctx.log,
    });
    metrics.push(...sandbox.metrics);
    return {
      id: "k8s",
      title:
        "Kubernetes actions on the local cluster's real node (kube-apiserver + kubelet 1.34.4, containerd, runc)",
      commands: [
        "scripts/kube/control-plane.sh start",
        `${rounds} rounds of pod-delete, scale-to-zero (3 real pause pods), memory-pressure (64Mi stress-ng)`,
        "gameday sandbox up --runtime kubernetes",
        `${ctx.quick ? 2 : 3} x gameday run experiments/kubernetes/payments-pod-delete.yaml and payments-latency.yaml`,
      ],
      metrics,
      notes: [
        "Real containers: Ready times include the kubelet's sync, containerd's sandbox and container start (runc) and gameday's 200 ms polling.",
        "revert + verify of scale-to-zero waits until all 3 replicas are Ready again; of pod-delete, until the replacement is Ready; of memory-pressure, until the stress pod is gone.",
        ...(sandbox.failedRuns.length
          ? [`Runs with a failed expectation (their fault times count): ${sandbox.failedRuns.join(", ")}.`]
          : []),
        "Breaker open: from the journal's fault.injected to the first breakerCycle sample (every 500 ms, read from the sandbox's Prometheus, 1 s scrape) that saw orders' breaker open; so it includes up to one scrape and one sample interval.",
      ],
      raw: { inject, revert, replaced, oomAfter, ...sandbox.raw },
    };
  } finally {
    execFileSync("bash", [script, "stop"], { env, stdio: "ignore" });
  }
}

/**
 * When the kernel first OOM-killed inside the stress pod's memory cgroup (its oom_kill count), or
 * the container ended OOMKilled, whichever is seen first (epoch ms); bounded to 30 s. stress-ng
 * restarts its killed worker, so the container itself ends only at its --timeout.
 */
async function untilOomKill(core: CoreV1Api, active: unknown): Promise<number> {
  const { pods } = active as { pods: readonly string[] };
  const deadline = Date.now() + 30_000;
  let uid = "";
  while (Date.now() < deadline) {
    const p = await core.readNamespacedPod({ namespace: NS, name: pods[0] ?? "" });
    uid ||= p.metadata?.uid ?? "";
    const s = p.status?.containerStatuses?.[0];
    if ((s?.state?.terminated?.reason ?? s?.lastState?.terminated?.reason) === "OOMKilled") return Date.now();
    if (uid && oomKillsOf(uid) > 0) return Date.now();
    await new Promise((r) => setTimeout(r, 100));
  }
  return Number.NaN;
}

/** `node dist/bench/kubernetes-actions.js` runs it alone. */
if (process.argv[1]?.endsWith("kubernetes-actions.js")) {
  const section = await benchKubernetesActions({
    quick: process.argv.includes("--quick"),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(`${JSON.stringify(section, null, 2)}\n`);
}
