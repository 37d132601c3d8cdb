import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../support/cli.js";
import { waitForInjected } from "../support/journal-wait.js";
import {
  type Cluster,
  createNamespace,
  deployment,
  kubeTargets,
  startCluster,
  stopCluster,
  waitDeploymentReady,
} from "../support/kube-cluster.js";

const NS = "gd-cli";
let c: Cluster;

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

const replicas = async (name: string) =>
  (await c.apps.readNamespacedDeployment({ namespace: NS, name })).spec?.replicas;

describe("gameday plan, run and recover on a Kubernetes target", () => {
  beforeAll(async () => {
    c = await startCluster();
    await createNamespace(c, NS);
    await c.apps.createNamespacedDeployment({ namespace: NS, body: deployment("payments", 3) });
    await waitDeploymentReady(c, NS, "payments");
  });
  afterAll(async () => {
    await stopCluster();
  });

  it("plan lists the pods it would touch and touches none", async () => {
    const ws = kubeTargets([NS]);
    const file = experimentFile(
      ws.dir,
      "plan-it",
      `{ action: pod-delete, namespace: ${NS}, selector: app=payments, mode: fixed, count: 2 }`,
    );
    const res = await runCli(["plan", file, "--targets", ws.targets]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('delete 2 of 3 pod(s) matching "app=payments" in gd-cli');
    expect(res.stdout.match(/touches pod gd-cli\/payments-/g)).toHaveLength(3);
    expect(await replicas("payments")).toBe(3);
  });

  it("run: a selector matching nothing exits 4 and touches nothing", async () => {
    const ws = kubeTargets([NS]);
    const file = experimentFile(
      ws.dir,
      "ghost",
      `{ action: pod-delete, namespace: ${NS}, selector: app=ghost }`,
      "2s",
    );
    const res = await runCli(["run", file, "--targets", ws.targets, "--state-dir", ws.stateDir]);
    expect(res.code, res.stdout + res.stderr).toBe(4);
    expect(res.stdout + res.stderr).toContain('selector "app=ghost" matches no pod in namespace gd-cli');
  });

  it("run: a namespace outside the allow-list exits 4", async () => {
    const ws = kubeTargets(["other"]);
    const file = experimentFile(
      ws.dir,
      "outside",
      `{ action: scale-to-zero, namespace: ${NS}, workload: deployment/payments }`,
      "2s",
    );
    const res = await runCli(["run", file, "--targets", ws.targets, "--state-dir", ws.stateDir]);
    expect(res.code).toBe(4);
    expect(res.stdout + res.stderr).toContain(
      'namespace "gd-cli" is not in the target\'s kubernetes allow-list',
    );
    expect(await replicas("payments")).toBe(3);
  });

  it("after kill -9 of the runner mid scale-to-zero, recover restores the exact replica count", async () => {
    const ws = kubeTargets([NS]);
    const file = experimentFile(
      ws.dir,
      "killed",
      `{ action: scale-to-zero, namespace: ${NS}, workload: deployment/payments }`,
    );
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
      expect(await replicas("payments")).toBe(0);
      const dry = await runCli(["recover", "--targets", ws.targets, "--dry-run"]);
      expect(dry.stdout).toMatch(
        /would revert gameday[.@]\S+\.f1 \(kube\/kubernetes\): deployment gd-cli\/payments scaled down \(previously 3 replicas\)/,
      );
      // A fresh targets folder: recover needs no journal, only the labels in the cluster.
      const res = await runCli(["recover", "--targets", kubeTargets([NS]).targets]);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain("1 of 1 orphaned faults reverted");
      const d = await c.apps.readNamespacedDeployment({ namespace: NS, name: "payments" });
      expect(d.spec?.replicas).toBe(3);
      expect(d.status?.readyReplicas).toBe(3);
      expect(d.metadata?.labels?.["gameday.dev/run-id"]).toBeUndefined();
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
