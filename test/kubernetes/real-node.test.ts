import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActivePodDelete } from "../../src/faults/kubernetes/active-pod-delete.js";
import type { ActiveStress } from "../../src/faults/kubernetes/active-stress.js";
import { CLI, runCli } from "../support/cli.js";
import { waitForInjected } from "../support/journal-wait.js";
import {
  type Cluster,
  createNamespace,
  kubeTargets,
  oomKillsOf,
  realDeployment,
  requireRealNode,
  STRESS_IMAGE,
  startCluster,
  stopCluster,
  waitDeploymentReady,
} from "../support/kube-cluster.js";
import { injectorFor, kubeFault, testRunId } from "./kube-fixture.js";

const NS = "gd-real";
let c: Cluster;
let node: string;

const pods = async (selector: string) =>
  (await c.core.listNamespacedPod({ namespace: NS, labelSelector: selector })).items;

const live = (ps: V1Pod[]) => ps.filter((p) => !p.metadata?.deletionTimestamp);

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

const terminatedReason = (p: V1Pod) => {
  const s = p.status?.containerStatuses?.[0];
  return s?.state?.terminated?.reason ?? s?.lastState?.terminated?.reason;
};

function experimentFile(dir: string, name: string, fault: string, forMs = "60s"): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: gameday/v1
kind: Experiment
metadata: { name: ${name} }
spec:
  target: kube
  faults:
    - name: f1
      for: ${forMs}
      kubernetes: ${fault}
`,
  );
  return file;
}

/** Runs the CLI on `file`, waits until the fault is journalled as injected, then kill -9. */
async function killRunnerMidFault(file: string, ws: ReturnType<typeof kubeTargets>): Promise<void> {
  const child = spawn(
    process.execPath,
    [CLI, "run", file, "--targets", ws.targets, "--state-dir", ws.stateDir],
    {
      stdio: "ignore",
    },
  );
  try {
    await waitForInjected(ws.stateDir);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("close", r));
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

// Real containers on the real node (containerd + runc + the kubelet of scripts/kube/node.sh): these
// tests fail, loudly, when that node is missing; they never fall back to kwok.
describe("kubernetes faults on the real node", () => {
  beforeAll(async () => {
    c = await startCluster();
    node = await requireRealNode(c);
    await createNamespace(c, NS);
    await c.apps.createNamespacedDeployment({ namespace: NS, body: realDeployment("payments", 2) });
    await c.apps.createNamespacedDeployment({ namespace: NS, body: realDeployment("risk", 1) });
    await waitDeploymentReady(c, NS, "payments", 90_000);
    await waitDeploymentReady(c, NS, "risk", 90_000);
  }, 240_000);
  afterAll(async () => {
    await stopCluster();
  }, 120_000);

  it("runs real containers: started by containerd on the real node", async () => {
    for (const p of live(await pods("app=payments"))) {
      expect(p.spec?.nodeName).toBe(node);
      const s = p.status?.containerStatuses?.[0];
      expect(s?.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
      expect(s?.state?.running?.startedAt).toBeDefined();
    }
  });

  it("pod-delete kills a real pod and the replacement container is Ready", async () => {
    const before = live(await pods("app=payments")).map((p) => p.metadata?.name);
    const inj = injectorFor([NS]);
    const fault = kubeFault("kill-payments", {
      action: "pod-delete",
      namespace: NS,
      selector: "app=payments",
    });
    const active = (await inj.inject(fault, { runId: testRunId(), experiment: "t" })) as ActivePodDelete;
    await active.revert();
    await active.verifyReverted();
    const after = live(await pods("app=payments"));
    expect(after).toHaveLength(2);
    const fresh = after.filter((p) => !before.includes(p.metadata?.name));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]?.status?.containerStatuses?.[0]?.containerID).toMatch(/^containerd:\/\//);
    expect(active.replacedAfterMs).toBeGreaterThan(0);
    process.stderr.write(`[real node] pod delete to Ready replacement: ${active.replacedAfterMs} ms\n`);
  }, 90_000);

  it("memory-pressure: the kernel OOM-kills inside the stress pod's cgroup limit; the pod ends itself as OOMKilled at its deadline", async () => {
    const inj = injectorFor([NS], { stressImage: STRESS_IMAGE });
    const fault = kubeFault(
      "squeeze",
      { action: "memory-pressure", namespace: NS, selector: "app=risk", memory: "64Mi" },
      "8s",
    );
    const t0 = Date.now();
    const active = (await inj.inject(fault, { runId: testRunId(), experiment: "t" })) as ActiveStress;
    const name = active.pods[0] ?? "";
    const uid = (await c.core.readNamespacedPod({ namespace: NS, name })).metadata?.uid ?? "";
    await until(
      "an OOM kill in the stress pod's memory cgroup",
      async () => (oomKillsOf(uid) > 0 ? true : undefined),
      30_000,
    );
    process.stderr.write(`[real node] memory pressure inject to first OOM kill: ${Date.now() - t0} ms\n`);
    const stress = await until(
      "the stress pod to end by itself (stress-ng --timeout) as OOMKilled",
      async () => {
        const p = await c.core.readNamespacedPod({ namespace: NS, name });
        return terminatedReason(p) === "OOMKilled" ? p : undefined;
      },
      40_000,
    );
    expect(stress.spec?.nodeName).toBe(node);
    expect(stress.spec?.hostNetwork).toBe(true);
    expect(stress.spec?.containers[0]?.resources?.limits?.memory).toBe("64Mi");
    // risk, its neighbour, kept its container.
    const risk = live(await pods("app=risk"))[0];
    expect(risk?.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    await active.revert();
    await active.verifyReverted();
    expect(await inj.findOrphans()).toEqual([]);
  }, 90_000);

  it("a stress pod whose runner died ends itself, and recover removes it (no journal)", async () => {
    const ws = kubeTargets([NS], `      stressImage: ${STRESS_IMAGE}\n`);
    const file = experimentFile(
      ws.dir,
      "killed-stress",
      `{ action: memory-pressure, namespace: ${NS}, selector: app=risk, memory: 64Mi }`,
      "8s",
    );
    await killRunnerMidFault(file, ws);
    const ended = await until(
      "the orphaned stress pod to end by itself",
      async () => {
        const [p] = await pods("gameday.dev/fault=f1");
        return p && ["Succeeded", "Failed"].includes(p.status?.phase ?? "") ? p : undefined;
      },
      60_000,
    );
    expect(terminatedReason(ended)).toBe("OOMKilled");
    const res = await runCli(["recover", "--targets", kubeTargets([NS]).targets]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain("1 of 1 orphaned faults reverted");
    expect(await pods("gameday.dev/fault=f1")).toEqual([]);
  }, 120_000);

  it("after kill -9 of the runner mid scale-to-zero, recover restores the exact count of Ready real pods", async () => {
    const ws = kubeTargets([NS]);
    const file = experimentFile(
      ws.dir,
      "killed-scale",
      `{ action: scale-to-zero, namespace: ${NS}, workload: deployment/payments }`,
    );
    await killRunnerMidFault(file, ws);
    await until(
      "the real pods to be gone",
      async () => ((await pods("app=payments")).length === 0 ? true : undefined),
      30_000,
    );
    const res = await runCli(["recover", "--targets", kubeTargets([NS]).targets]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const d = await c.apps.readNamespacedDeployment({ namespace: NS, name: "payments" });
    expect(d.spec?.replicas).toBe(2);
    expect(d.status?.readyReplicas).toBe(2);
    expect(d.metadata?.labels?.["gameday.dev/run-id"]).toBeUndefined();
    for (const p of live(await pods("app=payments")))
      expect(p.status?.containerStatuses?.[0]?.state?.running).toBeDefined();
  }, 120_000);

  it("after kill -9 of the runner mid pod-delete, the replacement is Ready and recover finds nothing", async () => {
    const ws = kubeTargets([NS]);
    const file = experimentFile(
      ws.dir,
      "killed-delete",
      `{ action: pod-delete, namespace: ${NS}, selector: app=payments }`,
    );
    await killRunnerMidFault(file, ws);
    await waitDeploymentReady(c, NS, "payments", 60_000);
    const res = await runCli(["recover", "--targets", kubeTargets([NS]).targets]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(live(await pods("app=payments"))).toHaveLength(2);
  }, 120_000);
});
