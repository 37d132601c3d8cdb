import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PreflightError } from "../../src/errors/gameday-error.js";
import type { ActivePodDelete } from "../../src/faults/kubernetes/active-pod-delete.js";
import {
  ADMIN_CONTEXT,
  type Cluster,
  createNamespace,
  deployment,
  KUBECONFIG,
  startCluster,
  stopCluster,
  waitDeploymentReady,
} from "../support/kube-cluster.js";
import { injectorFor, kubeFault, testRunId } from "./kube-fixture.js";

const NS = "gd-faults";
let c: Cluster;

const podNames = async (app: string) =>
  (await c.core.listNamespacedPod({ namespace: NS, labelSelector: `app=${app}` })).items
    .filter((p) => !p.metadata?.deletionTimestamp)
    .map((p) => p.metadata?.name ?? "");

describe("kubernetes injector against a real API server (kwok nodes)", () => {
  beforeAll(async () => {
    c = await startCluster();
    await createNamespace(c, NS);
    for (const [name, n] of [
      ["orders", 2],
      ["payments", 3],
      ["risk", 2],
    ] as const) {
      await c.apps.createNamespacedDeployment({ namespace: NS, body: deployment(name, n) });
      await waitDeploymentReady(c, NS, name);
    }
  });
  afterAll(async () => {
    await stopCluster();
  });

  it("pod-delete deletes one pod and verifies the ReplicaSet's Ready replacement", async () => {
    const before = await podNames("orders");
    const inj = injectorFor([NS]);
    const fault = kubeFault("kill-orders", { action: "pod-delete", namespace: NS, selector: "app=orders" });
    const plan = await inj.plan(fault);
    expect(plan.action).toContain('1 of 2 pod(s) matching "app=orders"');
    expect(plan.targets).toHaveLength(2);
    const active = (await inj.inject(fault, { runId: testRunId(), experiment: "t" })) as ActivePodDelete;
    await active.revert();
    await active.verifyReverted();
    const after = await podNames("orders");
    expect(after).toHaveLength(2);
    expect(after.filter((n) => !before.includes(n))).toHaveLength(1); // exactly one replacement
    expect(active.replacedAfterMs).toBeGreaterThan(0);
  });

  it("mode percent with a ceiling deletes no more than the ceiling", async () => {
    const before = await podNames("payments");
    const inj = injectorFor([NS]);
    const spec = {
      action: "pod-delete",
      namespace: NS,
      selector: "app=payments",
      mode: "percent",
      percent: 100,
      max: 2,
    };
    const fault = kubeFault("kill-payments", spec);
    expect((await inj.plan(fault)).action).toContain("2 of 3 pod(s)");
    const active = await inj.inject(fault, { runId: testRunId(), experiment: "t" });
    await active.verifyReverted();
    const after = await podNames("payments");
    expect(after.filter((n) => before.includes(n))).toHaveLength(1);
  });

  it("scale-to-zero labels the workload, and revert restores the exact count, Ready, marks gone", async () => {
    const inj = injectorFor([NS]);
    const runId = testRunId();
    const fault = kubeFault("payments-down", {
      action: "scale-to-zero",
      namespace: NS,
      workload: "deployment/payments",
    });
    expect((await inj.plan(fault)).action).toContain("from 3 to 0 replicas");
    const active = await inj.inject(fault, { runId, experiment: "t" });
    const down = await c.apps.readNamespacedDeployment({ namespace: NS, name: "payments" });
    expect(down.spec?.replicas).toBe(0);
    expect(down.metadata?.labels?.["gameday.dev/run-id"]).toBe(runId);
    expect(down.metadata?.annotations?.["gameday.dev/previous-replicas"]).toBe("3");
    expect((await inj.findOrphans(runId)).map((o) => o.description)).toEqual([
      // Orphans are listed per allow-listed context, and say which one.
      `deployment ${NS}/payments scaled down (previously 3 replicas) (context ${ADMIN_CONTEXT})`,
    ]);
    await active.revert();
    await active.verifyReverted();
    const up = await c.apps.readNamespacedDeployment({ namespace: NS, name: "payments" });
    expect(up.spec?.replicas).toBe(3);
    expect(up.status?.readyReplicas).toBe(3);
    expect(up.metadata?.labels?.["gameday.dev/run-id"]).toBeUndefined();
    expect(up.metadata?.annotations?.["gameday.dev/previous-replicas"]).toBeUndefined();
    expect(await inj.findOrphans(runId)).toEqual([]);
  });

  it("a workload deleted mid-fault gets a clear rollback error, and nothing else breaks", async () => {
    await c.apps.createNamespacedDeployment({ namespace: NS, body: deployment("doomed", 1) });
    await waitDeploymentReady(c, NS, "doomed");
    const inj = injectorFor([NS]);
    const fault = kubeFault("doomed-down", {
      action: "scale-to-zero",
      namespace: NS,
      workload: "deployment/doomed",
    });
    const active = await inj.inject(fault, { runId: testRunId(), experiment: "t" });
    await c.apps.deleteNamespacedDeployment({ namespace: NS, name: "doomed" });
    await active.revert(); // must not throw: the rest of the rollback goes on
    await expect(active.verifyReverted()).rejects.toThrow(
      /deployment gd-faults\/doomed disappeared during the fault.*its 1 replicas could not be restored/,
    );
  });

  it("refuses a namespace that is not allow-listed, touching nothing", async () => {
    const inj = injectorFor(["somewhere-else"]);
    const fault = kubeFault("nope", { action: "scale-to-zero", namespace: NS, workload: "deployment/risk" });
    await expect(inj.plan(fault)).rejects.toThrow(PreflightError);
    await expect(inj.inject(fault, { runId: testRunId(), experiment: "t" })).rejects.toThrow(
      /namespace "gd-faults" is not in the target's kubernetes allow-list \(allowed: somewhere-else\)/,
    );
    expect((await c.apps.readNamespacedDeployment({ namespace: NS, name: "risk" })).spec?.replicas).toBe(2);
  });

  it("refuses a context that is not allow-listed", async () => {
    const inj = injectorFor([NS]);
    const fault = kubeFault("ctx", {
      action: "pod-delete",
      context: "prod",
      namespace: NS,
      selector: "app=risk",
    });
    await expect(inj.plan(fault)).rejects.toThrow(/context "prod" is not in the target's allow-list/);
  });

  it("a selector matching nothing is a preflight error (exit 4) and deletes nothing", async () => {
    const before = await podNames("risk");
    const inj = injectorFor([NS]);
    const fault = kubeFault("none", {
      action: "pod-delete",
      namespace: NS,
      selector: "app=ghost",
      mode: "all",
    });
    const err = await inj.plan(fault).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as PreflightError).exitCode).toBe(4);
    expect((err as Error).message).toContain('selector "app=ghost" matches no pod in namespace gd-faults');
    expect(await podNames("risk")).toEqual(before);
  });

  it("RBAC forbidden names the verb and resource", async () => {
    await c.core.createNamespacedServiceAccount({ namespace: NS, body: { metadata: { name: "nobody" } } });
    const tr = await c.core.createNamespacedServiceAccountToken({
      namespace: NS,
      name: "nobody",
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    const file = `${KUBECONFIG}.nobody`;
    writeFileSync(
      file,
      readFileSync(KUBECONFIG, "utf8").replace(/token: "[^"]+"/, `token: "${tr.status?.token}"`),
    );
    const inj = injectorFor([NS], { kubeconfig: file });
    const fault = kubeFault("forbidden", {
      action: "scale-to-zero",
      namespace: NS,
      workload: "deployment/risk",
    });
    await expect(inj.plan(fault)).rejects.toThrow(
      /RBAC forbids get deployments in namespace gd-faults \(403 Forbidden/,
    );
    const rb = await inj.findOrphans().catch((e: unknown) => e);
    expect((rb as Error).message).toMatch(/RBAC forbids list/);
  });
});
