import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigInjector } from "../../src/faults/config/config-injector.js";
import { canonical } from "../../src/faults/config/kube-env-patch.js";
import { loadTargets, resolveTarget } from "../../src/targets/targets-loader.js";
import { runCli } from "../support/cli.js";
import {
  type Cluster,
  KUBECONFIG,
  requireRealNode,
  startCluster,
  stopCluster,
} from "../support/kube-cluster.js";
import { injectorFor, kubeFault } from "./kube-fixture.js";

let c: Cluster;
const NS = "gameday-sandbox";
const kube = ["--runtime", "kubernetes", "--kubeconfig", KUBECONFIG];

const podUids = async () =>
  (await c.core.listNamespacedPod({ namespace: NS })).items.map((p) => p.metadata?.uid).sort();

// `gameday sandbox up --runtime kubernetes` on the test cluster's real node: real pods on 127.0.0.1.
// It uses the sandbox's fixed node ports (20580...), so run it under the ports lock like every stack test.
describe("the sandbox on the real Kubernetes node", () => {
  beforeAll(async () => {
    c = await startCluster();
    await requireRealNode(c);
  }, 240_000);
  afterAll(async () => {
    await runCli(["sandbox", "down", ...kube]);
    await stopCluster();
  }, 180_000);

  it("up deploys every service, Toxiproxy and Prometheus, all Ready and scraped; a second up changes nothing", async () => {
    const up = await runCli(["sandbox", "up", ...kube], { timeoutMs: 240_000 });
    expect(up.code, up.stderr).toBe(0);
    const e = JSON.parse(up.stdout) as { gatewayUrl: string; prometheusUrl: string; node: string };
    expect(e.gatewayUrl).toBe("http://127.0.0.1:20580");
    expect(e.node).toBe("gameday-node");
    const checkout = await fetch(`${e.gatewayUrl}/checkout`);
    expect(checkout.status).toBe(200);
    const deps = (await c.apps.listNamespacedDeployment({ namespace: NS })).items.map(
      (d) => d.metadata?.name,
    );
    expect(deps.sort()).toEqual(["gateway", "orders", "payments", "prometheus", "risk", "toxiproxy"]);
    for (const p of (await c.core.listNamespacedPod({ namespace: NS })).items) {
      expect(p.spec?.hostNetwork).toBe(true);
      expect(p.spec?.nodeName).toBe("gameday-node");
    }
    const before = await podUids();
    const again = await runCli(["sandbox", "up", ...kube], { timeoutMs: 240_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(await podUids()).toEqual(before);
  }, 480_000);

  it("a prove mutant sets its switch on every service's Deployment, is restored exactly, and recover finds it without the journal", async () => {
    // The repo's targets file, pointed at the test cluster.
    const dir = mkdtempSync(join(tmpdir(), "gameday-kube-mutant-"));
    const targets = join(dir, "targets.yaml");
    writeFileSync(
      targets,
      readFileSync("targets.yaml", "utf8").replace(
        /kubeconfig: \.gameday\/kube\/kubeconfig/,
        `kubeconfig: ${KUBECONFIG}`,
      ),
    );
    const target = resolveTarget(await loadTargets(targets), "sandbox-kubernetes", targets);
    const templates = async () =>
      Object.fromEntries(
        (await c.apps.listNamespacedDeployment({ namespace: NS })).items.map((d) => [
          d.metadata?.name,
          canonical(d.spec?.template),
        ]),
      );
    const breaksOf = async (port: number) =>
      ((await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { config: { breaks: string[] } })
        .config.breaks;
    const before = await templates();
    const inj = new ConfigInjector(target);
    const mutant = { name: "no-breaker", sandbox: { break: "breaker" as const } };
    const planned = await inj.planChange(mutant);
    expect(planned.targets.sort()).toEqual(
      ["gateway", "orders", "payments", "risk"].map((d) => `${NS}/deployment/${d}`),
    );
    const ctx = { runId: "kube-mutant-1", experiment: "t" };
    const active = await inj.apply(planned, ctx);
    expect(await breaksOf(20581)).toEqual(["breaker"]);
    expect((await inj.findOrphans()).map((o) => o.form)).toEqual(Array(4).fill("kubernetes"));
    expect((await active.stillInPlace?.())?.inPlace).toBe(true);
    // A kubernetes-family fault on a patched Deployment (the game day scales payments to zero)
    // keeps owner data of its own there; its revert must leave the mutant's tag alone.
    const scale = await injectorFor([NS]).inject(
      kubeFault("payments-down", { action: "scale-to-zero", namespace: NS, workload: "deployment/payments" }),
      { runId: "kube-mutant-scale", experiment: "t" },
    );
    await scale.revert();
    await scale.verifyReverted();
    expect((await inj.findOrphans()).map((o) => o.ownerTag)).toEqual(Array(4).fill(active.ownerTag));
    await active.revert();
    await active.verifyReverted();
    expect(await templates()).toEqual(before);
    expect(await breaksOf(20581)).toEqual([]);

    // A runner that died with the mutant applied: recover, from the cluster's labels alone.
    await inj.apply(await inj.planChange(mutant), { ...ctx, runId: "kube-mutant-2" });
    expect(await breaksOf(20582)).toEqual(["breaker"]);
    // Only this target: the other lanes run sandboxes of their own.
    const rec = await runCli(["recover", "--targets", targets, "--target", "sandbox-kubernetes"], {
      timeoutMs: 180_000,
    });
    expect(rec.code, rec.stderr).toBe(0);
    expect(await inj.findOrphans()).toEqual([]);
    expect(await templates()).toEqual(before);
    expect(await breaksOf(20582)).toEqual([]);
  }, 400_000);

  it("down removes the namespace and every pod; a second down is fine", async () => {
    const down = await runCli(["sandbox", "down", ...kube], { timeoutMs: 180_000 });
    expect(down.code, down.stderr).toBe(0);
    expect((await c.core.listNamespacedPod({ namespace: NS })).items).toEqual([]);
    const again = await runCli(["sandbox", "down", ...kube], { timeoutMs: 180_000 });
    expect(again.code, again.stderr).toBe(0);
    await expect(fetch("http://127.0.0.1:20580/health")).rejects.toThrow();
  }, 400_000);
});
