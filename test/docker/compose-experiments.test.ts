import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { priorStateOf } from "../../src/faults/docker/prior-state.js";
import { runCli } from "../support/cli.js";
import { docker, requireDocker } from "../support/docker-engine.js";
import { STACK_PORTS, STACK_PROJECT, stackDown, stackTargets, stackUp } from "../support/docker-stack.js";

const targets = stackTargets();
const stateDir = mkdtempSync(join(tmpdir(), "gameday-docker-runs-"));
const run = (file: string) =>
  runCli(["run", `experiments/docker/${file}`, "--targets", targets, "--state-dir", stateDir, "--quiet"], {
    timeoutMs: 120_000,
  });

async function projectContainers() {
  return docker.listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=${STACK_PROJECT}`] },
  });
}

/** After every run: each service back running with its compose limits, and no owner marker anywhere. */
async function expectStackRestored() {
  for (const c of await projectContainers()) {
    const service = c.Labels["com.docker.compose.service"];
    if (service === "config") continue; // the one-shot config writer has exited, as it should
    const s = priorStateOf(await docker.getContainer(c.Id).inspect());
    expect({ service, running: s.running, paused: s.paused }).toEqual({
      service,
      running: true,
      paused: false,
    });
    if (["gateway", "orders", "payments", "risk"].includes(service ?? ""))
      expect([service, s.memory, s.memorySwap]).toEqual([service, 256 * 1024 ** 2, 256 * 1024 ** 2]);
  }
  const markers = await docker.listContainers({
    all: true,
    filters: { label: ["gameday.role=owner-marker"] },
  });
  expect(markers.map((m) => m.Names)).toEqual([]);
}

// Each experiment judges a whole compose stack under load on a 2-core runner that two other lanes
// share: a steady state that did not hold before anything was injected (exit 4) once failed a CI
// run. One retry, after which a failure is the stack's, not the minute's.
describe("the sandbox under docker compose, and the docker experiments against it", { retry: 1 }, () => {
  beforeAll(async () => {
    await requireDocker();
    await stackUp();
  }, 300_000);
  afterAll(async () => {
    const down = await stackDown();
    expect(down.code).toBe(0);
    expect(await projectContainers()).toEqual([]);
  }, 120_000);

  it("runs every container on the host network, with every port on 127.0.0.1", async () => {
    const containers = await projectContainers();
    expect(containers.map((c) => c.Labels["com.docker.compose.service"]).sort()).toEqual([
      "config",
      "gateway",
      "orders",
      "payments",
      "prometheus",
      "redis",
      "risk",
      "toxiproxy",
    ]);
    for (const c of containers) expect(c.HostConfig.NetworkMode).toBe("host");
    const res = await fetch(`http://127.0.0.1:${STACK_PORTS.services.gateway}/checkout`);
    expect(res.status).toBe(200);
  });

  it("plan lists the containers a fault would touch, touching nothing", async () => {
    const r = await runCli(["plan", "experiments/docker/payments-kill.yaml", "--targets", targets]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`touches docker://.*/${STACK_PROJECT}[-_]payments[-_]1 \\(running\\)`),
    );
    await expectStackRestored();
  });

  for (const file of ["payments-oom-restart.yaml", "payments-kill.yaml", "risk-pause.yaml"]) {
    it(`${file} passes and leaves the stack exactly as it was`, async () => {
      const r = await run(file);
      expect(r.stdout + r.stderr).toContain("PASSED");
      expect(r.code).toBe(0);
      await expectStackRestored();
    });
  }

  it("the OOM experiment fails when payments has no restart policy (the countermeasure is off)", async () => {
    await stackUp({ GAMEDAY_PAYMENTS_RESTART: "no" });
    try {
      const r = await run("payments-oom-restart.yaml");
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toContain(
        'expectation "payments was OOM-killed and restarted by its restart policy" failed',
      );
      const markers = await docker.listContainers({
        all: true,
        filters: { label: ["gameday.role=owner-marker"] },
      });
      expect(markers).toEqual([]);
    } finally {
      await stackUp();
    }
    await expectStackRestored();
  });

  it("the kill experiment fails when orders' fallback is switched off", async () => {
    await stackUp({}, ["fallback"]);
    try {
      const r = await run("payments-kill.yaml");
      expect(r.code).not.toBe(0);
      // Without the fallback every call fails while payments is dead: the abort or the error bound catches it.
      expect(r.stdout + r.stderr).toMatch(/checkout collapsing|"checkout keeps serving" failed/);
    } finally {
      await stackUp();
    }
    await expectStackRestored();
  });

  it("the pause experiment fails when orders' breaker is switched off", async () => {
    await stackUp({}, ["breaker"]);
    try {
      const r = await run("risk-pause.yaml");
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toContain("orders' breaker opens during the freeze");
    } finally {
      await stackUp();
    }
    await expectStackRestored();
  });
});
