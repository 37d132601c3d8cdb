import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutantSchema } from "../../src/experiment/mutant-schema.js";
import { ConfigInjector } from "../../src/faults/config/config-injector.js";
import { canonical } from "../../src/faults/config/kube-env-patch.js";
import { targetSchema } from "../../src/targets/targets-schema.js";
import { runCli } from "../support/cli.js";
import {
  ADMIN_CONTEXT,
  type Cluster,
  createNamespace,
  deployment,
  KUBECONFIG,
  kubeTargets,
  startCluster,
  stopCluster,
  waitDeploymentReady,
} from "../support/kube-cluster.js";

/** The Kubernetes form of a mutant against the real API server (kwok nodes make the pods Ready). */
const NS = "gd-prove";
let c: Cluster;
const target = targetSchema.parse({
  kubernetes: { kubeconfig: KUBECONFIG, contexts: [ADMIN_CONTEXT], namespaces: [NS] },
  mutableEnv: ["SANDBOX_*"],
});
const mutant = mutantSchema.parse({
  name: "no-retries",
  kubernetes: { namespace: NS, workload: "deployment/payments", env: { SANDBOX_BREAK: "retries" } },
});
let priorTemplate: string;

const read = () => c.apps.readNamespacedDeployment({ namespace: NS, name: "payments" });

async function expectRestored(): Promise<void> {
  const now = await read();
  expect(canonical(now.spec?.template)).toBe(priorTemplate);
  expect(Object.keys(now.metadata?.annotations ?? {}).filter((k) => k.startsWith("gameday.dev/"))).toEqual(
    [],
  );
  expect(Object.keys(now.metadata?.labels ?? {}).filter((k) => k.startsWith("gameday.dev/"))).toEqual([]);
}

describe("kubernetes env patch mutant (real API server)", () => {
  beforeAll(async () => {
    c = await startCluster();
    await createNamespace(c, NS);
    const d = deployment("payments", 2);
    const container = d.spec?.template.spec?.containers[0];
    if (container)
      container.env = [
        { name: "SANDBOX_BREAK", value: "" },
        { name: "KEEP", value: "me" },
      ];
    await c.apps.createNamespacedDeployment({ namespace: NS, body: d });
    priorTemplate = canonical((await waitDeploymentReady(c, NS, "payments")).spec?.template);
  });
  afterAll(async () => {
    await c.core.deleteNamespace({ name: NS }).catch(() => undefined);
    await stopCluster();
  });

  it("refuses an unknown workload, container or namespace, changing nothing", async () => {
    const inj = new ConfigInjector(target);
    const parse = (k: object) =>
      mutantSchema.parse({ name: "x", kubernetes: { namespace: NS, env: { SANDBOX_BREAK: "x" }, ...k } });
    await expect(inj.planChange(parse({ workload: "deployment/nope" }))).rejects.toThrow(
      /no deployment nope/,
    );
    await expect(inj.planChange(parse({ workload: "deployment/payments", container: "zz" }))).rejects.toThrow(
      /no container "zz"/,
    );
    await expect(
      inj.planChange(parse({ workload: "deployment/payments", namespace: "kube-system" })),
    ).rejects.toThrow(/allow-list/);
    await expectRestored();
  });

  it("patches the env, waits for the rollout, and restores the exact prior template", async () => {
    const inj = new ConfigInjector(target);
    const plan = await inj.planChange(mutant);
    expect(plan.targets).toEqual([`${NS}/deployment/payments`]);
    const active = await inj.apply(plan, { runId: "provek1", experiment: "g" });
    const now = await read();
    expect(now.spec?.template.spec?.containers[0]?.env).toEqual([
      { name: "KEEP", value: "me" },
      { name: "SANDBOX_BREAK", value: "retries" },
    ]);
    expect(now.status?.updatedReplicas).toBe(2);
    expect(now.metadata?.annotations?.["gameday.dev/config-owner"]).toBe("gameday.provek1.no-retries");
    await expect(active.verifyReverted()).rejects.toThrow(/still applied/);
    await active.revert();
    await active.verifyReverted();
    await expectRestored();
    await waitDeploymentReady(c, NS, "payments");
  });

  it("after the runner died (no journal), gameday recover finds the patch by its labels and restores it", async () => {
    const inj = new ConfigInjector(target);
    await inj.apply(await inj.planChange(mutant), { runId: "provek2", experiment: "g" });
    const ws = kubeTargets([NS], "    mutableEnv: [SANDBOX_*]\n");
    const dry = await runCli(["recover", "--targets", ws.targets, "--dry-run"]);
    expect(dry.stdout).toMatch(/would revert gameday\.provek2\.no-retries \(kube\/config\)/);
    const r = await runCli(["recover", "--targets", ws.targets], { timeoutMs: 180_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await expectRestored();
  });
});
