import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { faultSchema } from "../src/experiment/schema.js";
import type { ActivePodDelete } from "../src/faults/kubernetes/active-pod-delete.js";
import { KubernetesInjector } from "../src/faults/kubernetes/kubernetes-injector.js";
import { kubernetesTargetSchema } from "../src/targets/kubernetes-target-schema.js";
import { createNamespace, deployment, waitDeploymentReady } from "../test/support/kube-cluster.js";
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
 * control plane, and pod deletion to a Ready replacement as gameday observed it. Own state dir and
 * ports (base 26500); the control plane is started and stopped here.
 */
export async function benchKubernetesActions(ctx: Pick<BenchContext, "quick" | "log">): Promise<Section> {
  const root = repoRoot();
  const state = join(root, ".gameday/kube-bench");
  const env = { ...process.env, GAMEDAY_KUBE_STATE: state, GAMEDAY_KUBE_PORT_BASE: "26500" };
  const script = join(root, "scripts/kube/control-plane.sh");
  const rounds = ctx.quick ? 3 : 7;
  ctx.log(`kubernetes: starting the control plane (${state})`);
  const t0 = Date.now();
  execFileSync("bash", [script, "start"], { env, stdio: ["ignore", "ignore", "inherit"] });
  const startS = (Date.now() - t0) / 1000;
  try {
    const kubeconfig = join(state, "kubeconfig");
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const cluster = { kubeconfig, core, apps };
    await createNamespace(cluster, NS);
    await apps.createNamespacedDeployment({ namespace: NS, body: deployment("web", 3) });
    // The controller-manager creates the pods a moment later: a selector that matches none is refused.
    await waitDeploymentReady(cluster, NS, "web");
    const inj = new KubernetesInjector(
      kubernetesTargetSchema.parse({
        kubeconfig,
        contexts: ["gameday-admin"],
        namespaces: [NS],
        stressImage: `example.invalid/stress-ng@sha256:${"0".repeat(64)}`, // kwok runs no containers
      }),
    );
    const faults = {
      "pod-delete": { action: "pod-delete", namespace: NS, selector: "app=web" },
      "scale-to-zero": { action: "scale-to-zero", namespace: NS, workload: "deployment/web" },
      "memory-pressure": { action: "memory-pressure", namespace: NS, selector: "app=web", memory: "64Mi" },
    };
    const inject: Record<string, number[]> = Object.fromEntries(Object.keys(faults).map((k) => [k, []]));
    const revert: Record<string, number[]> = Object.fromEntries(Object.keys(faults).map((k) => [k, []]));
    const replaced: number[] = [];
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
        const b = Date.now();
        await active.revert();
        await active.verifyReverted();
        const c = Date.now();
        inject[action]?.push(b - a);
        revert[action]?.push(c - b);
        if (action === "pod-delete") replaced.push((active as ActivePodDelete).replacedAfterMs ?? Number.NaN);
      }
    }
    const metrics: Metric[] = [{ name: "control plane start (warm binaries)", value: startS, unit: "s" }];
    for (const action of Object.keys(faults)) {
      metrics.push({ name: `${action}: inject, median`, value: median(inject[action] ?? []), unit: "ms" });
      metrics.push({
        name: `${action}: revert + verify, median`,
        value: median(revert[action] ?? []),
        unit: "ms",
      });
    }
    metrics.push({
      name: "pod deleted -> Ready replacement (gameday observed), median",
      value: median(replaced),
      unit: "ms",
    });
    return {
      id: "k8s",
      title: "Kubernetes actions against the local control plane (kube-apiserver 1.34.4, etcd, kwok)",
      commands: [
        "scripts/kube/control-plane.sh start",
        `${rounds} rounds of pod-delete, scale-to-zero (3 replicas), memory-pressure`,
      ],
      metrics,
      notes: [
        "kwok makes pods Running/Ready at once, so Ready times measure the API server, controllers and gameday's 200 ms polling, not container start-up.",
        "revert + verify of scale-to-zero waits until all 3 replicas are Ready again; of pod-delete, until the replacement is Ready.",
      ],
      raw: { inject, revert, replaced },
    };
  } finally {
    execFileSync("bash", [script, "stop"], { env, stdio: "ignore" });
  }
}

/** `node dist/bench/kubernetes-actions.js` runs it alone. */
if (process.argv[1]?.endsWith("kubernetes-actions.js")) {
  const section = await benchKubernetesActions({
    quick: process.argv.includes("--quick"),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(`${JSON.stringify(section, null, 2)}\n`);
}
