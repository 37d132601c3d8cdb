import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerInjector } from "../../src/faults/docker/docker-injector.js";
import { priorStateOf, stateDifferences } from "../../src/faults/docker/prior-state.js";
import {
  DOCKER_SOCKET,
  docker,
  dockerFault,
  markersOf,
  removeGroup,
  requireDocker,
  startTarget,
  TEST_LABEL,
} from "../support/docker-engine.js";

const group = `actions-${randomBytes(3).toString("hex")}`;
const name = `gameday-test-${group}`;
const injector = new DockerInjector(
  { socket: DOCKER_SOCKET, projects: [], labels: { [TEST_LABEL]: group } },
  () => {},
);
const select = { name };
const runId = `t${group}`;

async function state() {
  return priorStateOf(await docker.getContainer(name).inspect());
}

/** Helper processes of a fault, seen from the host: `docker top` lists every process in the container. */
async function processes(): Promise<string[]> {
  const top = await docker.getContainer(name).top({ ps_args: "-eo pid,args" });
  return top.Processes.map((p: string[]) => p.join(" "));
}

describe("docker actions against a real Docker Engine", () => {
  let before: Awaited<ReturnType<typeof state>>;
  beforeAll(async () => {
    await requireDocker();
    await startTarget(name, group);
    before = await state();
  });
  afterAll(async () => {
    await removeGroup(group);
  });

  const cases: Array<[string, Record<string, unknown>, () => Promise<void>]> = [
    ["stop", { action: "stop", timeout: "1s" }, async () => expect((await state()).running).toBe(false)],
    ["kill", { action: "kill", signal: "SIGKILL" }, async () => expect((await state()).running).toBe(false)],
    ["pause", { action: "pause" }, async () => expect((await state()).paused).toBe(true)],
    [
      "restart",
      { action: "restart", timeout: "1s" },
      async () => {
        const info = await docker.getContainer(name).inspect();
        expect(new Date(info.State.StartedAt).getTime()).toBeGreaterThan(Date.now() - 10_000);
      },
    ],
    [
      "memory-limit",
      { action: "memory-limit", limit: "128Mi" },
      async () => {
        const s = await state();
        expect([s.memory, s.memorySwap]).toEqual([128 * 1024 ** 2, 128 * 1024 ** 2]);
      },
    ],
    [
      "memory-hog",
      { action: "memory-hog", size: "64Mi" },
      async () => expect((await processes()).some((p) => p.includes("gameday."))).toBe(true),
    ],
    [
      "cpu-quota",
      { action: "cpu-quota", cpus: 0.25 },
      async () => expect((await state()).cpuQuota).toBe(25_000),
    ],
    [
      "cpu-burn",
      { action: "cpu-burn", workers: 1 },
      async () => expect((await processes()).some((p) => p.includes("gameday."))).toBe(true),
    ],
  ];

  for (const [action, spec, effect] of cases) {
    it(`${action}: injects, records its owner, reverts to the exact prior state`, async () => {
      const fault = dockerFault(`f-${action}`, { select, ...spec });
      const planned = await injector.plan(fault);
      expect(planned.targets.join()).toContain(name);
      const active = await injector.inject(fault, { runId, experiment: "docker-actions" });
      expect(await markersOf(runId)).toHaveLength(1);
      await effect();
      await active.revert();
      await active.verifyReverted();
      await active.revert(); // idempotent
      // Exact, except that the Engine writes "no CPU quota" back as -1 where it was 0 (same for the kernel).
      expect(stateDifferences(before, await state())).toEqual([]);
      expect({ ...(await state()), cpuQuota: 0 }).toEqual({ ...before, cpuQuota: 0 });
      expect(await markersOf(runId)).toEqual([]);
      expect((await processes()).filter((p) => p.includes("gameday."))).toEqual([]);
    });
  }

  it("overlapping faults on one container each restore and verify their own part, in any order", async () => {
    const squeeze = await injector.inject(
      dockerFault("f-squeeze", { select, action: "memory-limit", limit: "100Mi" }),
      {
        runId,
        experiment: "docker-actions",
      },
    );
    const stop = await injector.inject(dockerFault("f-stop", { select, action: "stop", timeout: "1s" }), {
      runId,
      experiment: "docker-actions",
    });
    // The squeeze ends first: its limit comes back, but the container stays stopped (the stop fault owns that).
    await squeeze.revert();
    await squeeze.verifyReverted();
    expect((await state()).memory).toBe(before.memory);
    expect((await state()).running).toBe(false);
    await stop.revert();
    await stop.verifyReverted();
    expect(stateDifferences(before, await state())).toEqual([]);
    expect(await markersOf(runId)).toEqual([]);
  });

  it("a hog ends itself at its deadline, without anyone reverting it", async () => {
    // 4 s: a 1.5 s hog could end before `docker top` answered on a loaded runner (a newcomer CI run).
    const fault = dockerFault("f-deadline", { select, action: "cpu-burn" }, 4000);
    const active = await injector.inject(fault, { runId, experiment: "docker-actions" });
    expect((await processes()).some((p) => p.includes("gameday."))).toBe(true);
    await sleep(6000);
    expect((await processes()).filter((p) => p.includes("gameday."))).toEqual([]);
    await active.revert(); // only the marker is left to remove
    expect(await markersOf(runId)).toEqual([]);
  });
});
