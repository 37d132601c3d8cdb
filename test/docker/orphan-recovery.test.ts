import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { priorStateOf, stateDifferences } from "../../src/faults/docker/prior-state.js";
import { CLI, runCli } from "../support/cli.js";
import {
  DOCKER_SOCKET,
  docker,
  removeGroup,
  requireDocker,
  startTarget,
  TEST_LABEL,
} from "../support/docker-engine.js";
import { waitForInjected } from "../support/journal-wait.js";

const group = `orphan-${randomBytes(3).toString("hex")}`;
const a = `gameday-test-${group}-a`;
const b = `gameday-test-${group}-b`;
const dir = mkdtempSync(join(tmpdir(), "gameday-docker-orphan-"));
const targets = join(dir, "targets.yaml");
const stateDir = join(dir, "state");

const state = async (name: string) => priorStateOf(await docker.getContainer(name).inspect());
async function ownedMarkers() {
  const ids = await Promise.all([a, b].map(async (n) => (await docker.getContainer(n).inspect()).Id));
  const markers = await docker.listContainers({
    all: true,
    filters: { label: ["gameday.role=owner-marker"] },
  });
  return markers.filter((m) => ids.includes(m.Labels["gameday.target"] ?? ""));
}

describe("an orphan of a runner killed with SIGKILL is found and reverted without the journal", () => {
  beforeAll(async () => {
    await requireDocker();
    await startTarget(a, group);
    await startTarget(b, group);
    writeFileSync(
      targets,
      `apiVersion: gameday/v1
kind: Targets
targets:
  box:
    docker: { socket: ${DOCKER_SOCKET}, labels: { ${TEST_LABEL}: ${group} } }
`,
    );
  });
  afterAll(async () => {
    await removeGroup(group);
  });

  it("recover restores the limit, kills the burner and unpauses, then nothing of gameday remains", async () => {
    const before = { a: await state(a), b: await state(b) };
    const file = join(dir, "orphan.yaml");
    writeFileSync(
      file,
      `apiVersion: gameday/v1
kind: Experiment
metadata: { name: docker-orphan }
spec:
  target: box
  faults:
    - { name: squeeze, for: 2m, docker: { select: { name: ${a} }, action: memory-limit, limit: 100Mi } }
    - { name: burn, for: 2m, docker: { select: { name: ${a} }, action: cpu-burn, workers: 1 } }
    - { name: freeze, for: 2m, docker: { select: { name: ${b} }, action: pause } }
`,
    );
    const child = spawn(
      process.execPath,
      [CLI, "run", file, "--targets", targets, "--state-dir", stateDir, "--quiet"],
      {
        stdio: "ignore",
      },
    );
    try {
      await waitForInjected(stateDir);
      // Wait for all three: the journal says "injected" per fault.
      const deadline = Date.now() + 20_000;
      while ((await ownedMarkers()).length < 3 && Date.now() < deadline) await sleep(100);
      await sleep(300);
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    expect((await state(a)).memory).toBe(100 * 1024 ** 2);
    expect((await state(b)).paused).toBe(true);
    expect(await ownedMarkers()).toHaveLength(3);

    const dry = await runCli(["recover", "--targets", targets, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/would revert gameday[.@]/);
    expect(dry.stdout).toContain("memory limit squeezed to 100Mi");
    expect((await state(b)).paused).toBe(true); // dry run touched nothing

    const rec = await runCli(["recover", "--targets", targets]);
    expect(rec.stderr).toBe("");
    expect(rec.code).toBe(0);
    expect(rec.stdout).toMatch(/3 of 3 orphaned faults reverted/);
    expect(stateDifferences(before.a, await state(a))).toEqual([]);
    expect(stateDifferences(before.b, await state(b))).toEqual([]);
    expect(await ownedMarkers()).toEqual([]);
    const top = await docker.getContainer(a).top({ ps_args: "-eo pid,args" });
    expect(top.Processes.filter((p: string[]) => p.join(" ").includes("gameday."))).toEqual([]);
  });
});
