import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../support/cli.js";
import {
  type Cluster,
  createNamespace,
  deployment,
  KUBECONFIG,
  kubectl,
  startCluster,
  stopCluster,
  waitDeploymentReady,
} from "../support/kube-cluster.js";
import { type RunningToxiproxy, startToxiproxy } from "../support/toxiproxy-server.js";
import { injectorFor, kubeFault, testRunId } from "./kube-fixture.js";

const SANDBOX = "gameday-sandbox";
let c: Cluster;
let toxiproxy: RunningToxiproxy;

describe("manifests/ against the real API server, and the injector with exactly their RBAC", () => {
  beforeAll(async () => {
    c = await startCluster();
    toxiproxy = await startToxiproxy();
  });
  afterAll(async () => {
    await toxiproxy?.stop();
    await stopCluster();
  });

  it("kubectl apply --dry-run=server -k manifests/ is accepted", async () => {
    // A server-side dry run cannot create the namespaces its other objects need, so they come first.
    await createNamespace(c, SANDBOX);
    await createNamespace(c, "gameday");
    const { stdout } = await kubectl(["apply", "--dry-run=server", "-k", `${REPO}manifests`]);
    for (const obj of [
      "deployment.apps/toxiproxy created (server dry run)",
      "service/payments created (server dry run)",
      "deployment.apps/prometheus created (server dry run)",
      "cronjob.batch/monthly-game-day created (server dry run)",
      "role.rbac.authorization.k8s.io/gameday-injector created (server dry run)",
      "deployment.apps/gameday-worker created (server dry run)",
    ])
      expect(stdout).toContain(obj);
  });

  it("the worker's Role allows every action of the injector and nothing more", async () => {
    await kubectl(["apply", "-k", `${REPO}manifests`]);
    // This test is about RBAC, not real containers: the base manifests name no node, so their pods
    // would land on the real node, which has no pod network (only manifests/sandbox-node runs there).
    // Put them on the kwok nodes, where they become Ready without an image or a network.
    const toKwok = JSON.stringify({
      spec: {
        template: {
          spec: {
            nodeSelector: { type: "kwok" },
            tolerations: [{ key: "gameday.dev/kwok", operator: "Exists", effect: "NoSchedule" }],
          },
        },
      },
    });
    for (const ns of [SANDBOX, "gameday"]) {
      const { stdout: names } = await kubectl(["get", "deployments", "-n", ns, "-o", "name"]);
      for (const d of names.split("\n").filter(Boolean))
        await kubectl(["patch", d, "-n", ns, "--type", "strategic", "-p", toKwok]);
    }
    const sa = "system:serviceaccount:gameday:gameday-worker";
    const can = async (verb: string, res: string, ns = SANDBOX) =>
      (await kubectl(["auth", "can-i", verb, res, "-n", ns, `--as=${sa}`]).catch((e) => e)).stdout?.trim();
    expect(await can("patch", "deployments.apps")).toBe("yes");
    expect(await can("delete", "deployments.apps")).toBe("no");
    expect(await can("update", "deployments.apps")).toBe("no");
    expect(await can("get", "secrets")).toBe("no");
    expect(await can("delete", "pods", "default")).toBe("no");

    // The injector, run as that service account, does all four actions in the sandbox.
    const { stdout: token } = await kubectl(["create", "token", "gameday-worker", "-n", "gameday"]);
    const file = `${KUBECONFIG}.worker`;
    writeFileSync(
      file,
      readFileSync(KUBECONFIG, "utf8").replace(/token: "[^"]+"/, `token: "${token.trim()}"`),
    );
    await c.apps.createNamespacedDeployment({ namespace: SANDBOX, body: deployment("ledger", 2) });
    await waitDeploymentReady(c, SANDBOX, "ledger");
    await waitDeploymentReady(c, SANDBOX, "toxiproxy");
    await fetch(`${toxiproxy.url}/proxies`, {
      method: "POST",
      body: JSON.stringify({ name: "payments", listen: "127.0.0.1:0", upstream: "127.0.0.1:9" }),
    });
    const inj = injectorFor([SANDBOX], {
      kubeconfig: file,
      toxiproxy: { namespace: SANDBOX, url: toxiproxy.url, proxies: ["payments"] },
    });
    const ctx = { runId: testRunId(), experiment: "t" };
    const faults = [
      kubeFault("a", { action: "pod-delete", namespace: SANDBOX, selector: "app=ledger" }),
      kubeFault("b", { action: "scale-to-zero", namespace: SANDBOX, workload: "deployment/ledger" }),
      kubeFault("c", {
        action: "memory-pressure",
        namespace: SANDBOX,
        selector: "app=payments",
        memory: "64Mi",
      }),
      kubeFault("d", {
        action: "network",
        toxiproxy: { proxy: "payments", toxic: "latency", latency: "300ms" },
      }),
    ];
    for (const f of faults) {
      await inj.plan(f);
      const active = await inj.inject(f, ctx);
      if (f.name === "d") {
        const toxics = (await (await fetch(`${toxiproxy.url}/proxies/payments/toxics`)).json()) as {
          name: string;
        }[];
        expect(toxics.map((t) => t.name)).toEqual([`gameday.${ctx.runId}.d`]);
      }
      await active.revert();
      await active.verifyReverted();
    }
    expect(await inj.findOrphans(ctx.runId)).toEqual([]);
  });
});
