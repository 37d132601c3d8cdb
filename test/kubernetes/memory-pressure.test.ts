import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActiveStress } from "../../src/faults/kubernetes/active-stress.js";
import { DEADLINE_SLACK_S } from "../../src/faults/kubernetes/stress-pod.js";
import {
  type Cluster,
  createNamespace,
  deployment,
  startCluster,
  stopCluster,
  waitDeploymentReady,
} from "../support/kube-cluster.js";
import { injectorFor, kubeFault, testRunId } from "./kube-fixture.js";

const NS = "gd-stress";
let c: Cluster;

// kwok runs no containers, so the pressure itself cannot be felt here: this checks at the API level
// that the stress pod is made right (beside the target, limits, both deadlines, owner labels) and removed.
describe("memory-pressure stress pods", () => {
  beforeAll(async () => {
    c = await startCluster();
    await createNamespace(c, NS);
    await c.apps.createNamespacedDeployment({ namespace: NS, body: deployment("orders", 2) });
    await waitDeploymentReady(c, NS, "orders");
  });
  afterAll(async () => {
    await stopCluster();
  });

  it("creates a stress pod pinned beside each chosen pod, with limits and a deadline, and removes it", async () => {
    const inj = injectorFor([NS]);
    const runId = testRunId();
    const fault = kubeFault(
      "squeeze",
      { action: "memory-pressure", namespace: NS, selector: "app=orders", mode: "all", memory: "256Mi" },
      "45s",
    );
    expect((await inj.plan(fault)).action).toContain("put 256Mi of memory pressure beside 2 of 2 pod(s)");
    const active = (await inj.inject(fault, { runId, experiment: "t" })) as ActiveStress;
    expect(active.pods).toHaveLength(2);
    const targets = (await c.core.listNamespacedPod({ namespace: NS, labelSelector: "app=orders" })).items;
    for (const name of active.pods) {
      const pod = await c.core.readNamespacedPod({ namespace: NS, name });
      const target = targets.find(
        (t) => t.metadata?.name === pod.metadata?.labels?.["gameday.dev/stress-for"],
      );
      expect(target, `stress pod ${name} names its target`).toBeDefined();
      expect(pod.spec?.nodeName).toBe(target?.spec?.nodeName);
      expect(pod.spec?.activeDeadlineSeconds).toBe(45 + DEADLINE_SLACK_S);
      const ctr = pod.spec?.containers[0];
      expect(ctr?.resources?.limits?.memory).toBe("256Mi");
      expect(ctr?.args).toEqual(["--vm", "1", "--vm-bytes", "256M", "--vm-keep", "--timeout", "45s"]);
      expect(pod.metadata?.labels?.["gameday.dev/run-id"]).toBe(runId);
      expect(pod.metadata?.annotations?.["gameday.dev/owner"]).toBe(`gameday.${runId}.squeeze`);
    }
    // The stress pods are helpers: they must not count as targets of a later selector.
    expect((await inj.plan(fault)).targets).toHaveLength(2);
    expect(await inj.findOrphans(runId)).toHaveLength(2);
    await active.revert();
    await active.verifyReverted();
    expect(await inj.findOrphans(runId)).toEqual([]);
    const left = await c.core.listNamespacedPod({
      namespace: NS,
      labelSelector: `gameday.dev/run-id=${runId}`,
    });
    expect(left.items).toEqual([]);
  });
});
