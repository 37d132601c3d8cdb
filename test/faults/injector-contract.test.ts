import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RollbackError } from "../../src/errors/gameday-error.js";
import { type FaultSpec, faultSchema } from "../../src/experiment/schema.js";
import { AppFaultInjector } from "../../src/faults/app/app-fault-injector.js";
import { DockerInjector } from "../../src/faults/docker/docker-injector.js";
import { KubernetesInjector } from "../../src/faults/kubernetes/kubernetes-injector.js";
import { sweepOrphans } from "../../src/faults/orphan-sweep.js";
import { ToxiproxyInjector } from "../../src/faults/toxiproxy/toxiproxy-injector.js";
import type { ActiveFault, FaultInjector } from "../../src/interfaces/injector.js";
import { kubernetesTargetSchema } from "../../src/targets/kubernetes-target-schema.js";
import { type AppService, startAppService } from "../support/app-service.js";
import { docker, removeGroup, requireDocker, startTarget, TEST_LABEL } from "../support/docker-engine.js";
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
import { startToxiproxyFixture, type ToxiproxyFixture } from "./toxiproxy/toxiproxy-fixture.js";

/**
 * The same contract, run against each real family: the real Toxiproxy, the real Docker Engine and
 * the real API server. A family that joins the registry adds a harness here.
 */
interface Harness {
  family: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  injector(): FaultInjector;
  fault(name: string): FaultSpec;
  /** What an observer sees of the target: equal before and after plan, and after a full revert. */
  observe(): Promise<string>;
  /** Someone else undoes the fault. */
  tamper(active: ActiveFault): Promise<void>;
  /** The target itself disappears (proxy deleted, container removed, workload deleted). */
  vanish(): Promise<void>;
  /** Puts a fresh target back for the next case. */
  restore(): Promise<void>;
}

let seq = 0;
const runId = () => `c${Date.now().toString(36)}-${(seq++).toString(36)}`;

function toxiproxyHarness(): Harness {
  let fx: ToxiproxyFixture;
  return {
    family: "toxiproxy",
    start: async () => {
      fx = await startToxiproxyFixture();
    },
    stop: () => fx.stop(),
    injector: () => new ToxiproxyInjector({ url: fx.url, proxies: ["payments"] }),
    fault: (name) =>
      faultSchema.parse({
        name,
        for: "30s",
        toxiproxy: { proxy: "payments", toxic: "latency", latency: "300ms" },
      }),
    observe: async () => {
      const p = await fx.proxy("payments");
      return JSON.stringify({ enabled: p.enabled, toxics: p.toxics.map((t) => t.name).sort() });
    },
    tamper: (active) => fx.removeToxic("payments", active.ownerTag).then(() => undefined),
    vanish: () => fx.deleteProxy("payments").then(() => undefined),
    restore: () => fx.createProxy("payments"),
  };
}

function dockerHarness(): Harness {
  const group = `contract-${process.pid}`;
  const name = `gameday-contract-${process.pid}`;
  return {
    family: "docker",
    start: async () => {
      await requireDocker();
      await startTarget(name, group, { restart: "no" });
    },
    stop: () => removeGroup(group),
    injector: () =>
      new DockerInjector(
        { socket: "/var/run/docker.sock", projects: [], labels: { [TEST_LABEL]: group } },
        () => {},
      ),
    fault: (fault) =>
      faultSchema.parse({
        name: fault,
        for: "30s",
        docker: { action: "pause", select: { labels: { [TEST_LABEL]: group } } },
      }),
    observe: async () => {
      const info = await docker.getContainer(name).inspect();
      const markers = await docker.listContainers({
        all: true,
        filters: { label: ["gameday.role=owner-marker", `gameday.target=${info.Id}`] },
      });
      return JSON.stringify({
        paused: info.State.Paused,
        running: info.State.Running,
        markers: markers.length,
      });
    },
    tamper: () => docker.getContainer(name).unpause(),
    vanish: () => docker.getContainer(name).remove({ force: true }),
    restore: async () => {
      await startTarget(name, group, { restart: "no" });
    },
  };
}

function kubernetesHarness(): Harness {
  const NS = "gd-contract";
  let c: Cluster;
  const ledger = () => c.apps.readNamespacedDeployment({ namespace: NS, name: "ledger" });
  return {
    family: "kubernetes",
    start: async () => {
      c = await startCluster();
      await createNamespace(c, NS).catch(() => undefined);
      await c.apps.createNamespacedDeployment({ namespace: NS, body: deployment("ledger", 2) });
      await waitDeploymentReady(c, NS, "ledger");
    },
    stop: async () => {
      await c.core.deleteNamespace({ name: NS }).catch(() => undefined);
      await stopCluster();
    },
    injector: () =>
      new KubernetesInjector(
        kubernetesTargetSchema.parse({ kubeconfig: KUBECONFIG, contexts: [ADMIN_CONTEXT], namespaces: [NS] }),
      ),
    fault: (name) =>
      faultSchema.parse({
        name,
        for: "30s",
        kubernetes: {
          action: "scale-to-zero",
          namespace: NS,
          workload: "deployment/ledger",
          readyTimeout: "30s",
        },
      }),
    observe: async () => {
      const d = await ledger();
      const labels = Object.keys(d.metadata?.labels ?? {}).filter((k) => k.startsWith("gameday"));
      return JSON.stringify({ replicas: d.spec?.replicas, labels });
    },
    tamper: async () => {
      await c.apps.patchNamespacedDeployment({
        namespace: NS,
        name: "ledger",
        body: [{ op: "replace", path: "/spec/replicas", value: 2 }],
      });
    },
    vanish: async () => {
      await c.apps.deleteNamespacedDeployment({ namespace: NS, name: "ledger" });
    },
    restore: async () => {
      for (let i = 0; i < 50; i++) {
        try {
          await c.apps.createNamespacedDeployment({ namespace: NS, body: deployment("ledger", 2) });
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 200)); // the old one is still being deleted
        }
      }
      await waitDeploymentReady(c, NS, "ledger");
    },
  };
}

/** A real risk service process on free ports, broken through its control endpoint (pool-shrink). */
function appHarness(): Harness {
  let svc: AppService;
  return {
    family: "app",
    start: async () => {
      svc = await startAppService("risk");
    },
    stop: () => svc.stop(),
    injector: () =>
      new AppFaultInjector({
        services: { risk: { control: svc.controlUrl, token: { file: svc.tokenFile } } },
      }),
    fault: (name) =>
      faultSchema.parse({ name, for: "30s", app: { service: "risk", action: "pool-shrink", size: 3 } }),
    observe: async () => JSON.stringify(await svc.faults()),
    tamper: async (active) => {
      const res = await fetch(`${svc.controlUrl}/faults/${encodeURIComponent(active.ownerTag)}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${svc.token}` },
      });
      if (!res.ok) throw new Error(`tamper: HTTP ${res.status}`);
    },
    vanish: () => svc.kill(),
    restore: () => svc.start(),
  };
}

const HARNESSES: Record<string, () => Harness> = {
  app: appHarness,
  toxiproxy: toxiproxyHarness,
  docker: dockerHarness,
  kubernetes: kubernetesHarness,
};
// Every family, always: one that needs a missing service fails in its beforeAll. For one family by
// hand: `npx vitest run test/faults/injector-contract.test.ts -t "injector contract: docker"`.
for (const [family, make] of Object.entries(HARNESSES)) {
  describe(`injector contract: ${family}`, () => {
    const h = make();
    beforeAll(() => h.start());
    afterAll(() => h.stop());

    it("plan touches nothing", async () => {
      const before = await h.observe();
      await h.injector().plan(h.fault("planned"));
      expect(await h.observe()).toBe(before);
    });

    it("the sweep finds the fault by its owner tag, with its installation; stillInPlace holds", async () => {
      const before = await h.observe();
      const inj = h.injector();
      const run = runId();
      const active = await inj.inject(h.fault("tagged"), {
        runId: run,
        experiment: "c",
        installation: "inst-a",
      });
      expect(active.ownerTag).toBe(`gameday@inst-a.${run}.tagged`);
      expect(await active.stillInPlace()).toEqual({ inPlace: true });
      const fresh = h.injector(); // as `gameday recover` in another process: no ActiveFault
      const dry = await sweepOrphans([{ target: "t", injector: fresh }], {
        installation: "inst-a",
        dryRun: true,
      });
      expect(dry.entries.map((e) => [e.orphan.ownerTag, e.orphan.installation, e.outcome])).toEqual([
        [active.ownerTag, "inst-a", "would-revert"],
      ]);
      const swept = await sweepOrphans([{ target: "t", injector: fresh }], {
        installation: "inst-a",
        runIds: [run],
      });
      expect(swept.entries.map((e) => e.outcome)).toEqual(["reverted"]);
      expect(await h.observe()).toBe(before);
    });

    it("a fault undone by someone else is no longer in place", async () => {
      const inj = h.injector();
      const active = await inj.inject(h.fault("tampered"), {
        runId: runId(),
        experiment: "c",
        installation: "inst-a",
      });
      await h.tamper(active);
      const presence = await active.stillInPlace();
      expect(presence.inPlace).toBe(false);
      await active.revert();
      await active.verifyReverted();
    });

    it("revert twice is safe", async () => {
      const before = await h.observe();
      const active = await h
        .injector()
        .inject(h.fault("twice"), { runId: runId(), experiment: "c", installation: "inst-a" });
      expect(await h.observe()).not.toBe(before);
      await active.revert();
      await active.revert();
      await active.verifyReverted();
      expect(await h.observe()).toBe(before);
    });

    it("revert after the target vanished is safe: resolves or says so with a RollbackError, leaves nothing", async () => {
      const inj = h.injector();
      const run = runId();
      const active = await inj.inject(h.fault("vanish"), {
        runId: run,
        experiment: "c",
        installation: "inst-a",
      });
      await h.vanish();
      const outcome = await active
        .revert()
        .then(() => active.verifyReverted())
        .then(
          () => "ok",
          (e: unknown) => e,
        );
      if (outcome !== "ok") expect(outcome).toBeInstanceOf(RollbackError);
      await h.restore();
      expect(await h.injector().findOrphans(run)).toEqual([]);
    });

    it("other runs and other installations are untouched", async () => {
      const before = await h.observe();
      const inj = h.injector();
      const [mine, other] = [runId(), runId()];
      // One target takes one fault at a time for some families (pause, scale): one each, in turn.
      const foreign = await inj.inject(h.fault("foreign"), {
        runId: other,
        experiment: "c",
        installation: "inst-b",
      });
      const sweptMine = await sweepOrphans([{ target: "t", injector: h.injector() }], {
        installation: "inst-a",
      });
      expect(sweptMine.entries.map((e) => e.outcome)).toEqual(["foreign"]);
      expect(await foreign.stillInPlace()).toEqual({ inPlace: true });
      const sweptRun = await sweepOrphans([{ target: "t", injector: h.injector() }], {
        installation: "inst-b",
        runIds: [mine],
      });
      expect(sweptRun.entries).toEqual([]); // another run of the same installation: not listed
      expect(await foreign.stillInPlace()).toEqual({ inPlace: true });
      await foreign.revert();
      await foreign.verifyReverted();
      expect(await h.observe()).toBe(before);
    });
  });
}
