import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerInjector } from "../../src/faults/docker/docker-injector.js";
import {
  DOCKER_SOCKET,
  docker,
  dockerFault,
  removeGroup,
  requireDocker,
  startTarget,
  TEST_LABEL,
} from "../support/docker-engine.js";

const GROUP = `oom-main-${process.pid}`;
const hostScore = async (name: string) => {
  const pid = (await docker.getContainer(name).inspect()).State.Pid;
  return Number(readFileSync(`/proc/${pid}/oom_score_adj`, "utf8").trim());
};

describe("memory-hog with oomVictim main: PID 1's score is restored from the host, not by a privileged exec", () => {
  beforeAll(async () => {
    await requireDocker();
    await startTarget(`gameday-${GROUP}`, GROUP, { restart: "no" });
  });
  afterAll(() => removeGroup(GROUP));

  it("raises PID 1's oom_score_adj while the hog runs and restores the exact prior value", async () => {
    const name = `gameday-${GROUP}`;
    const before = await hostScore(name);
    const inj = new DockerInjector(
      { socket: DOCKER_SOCKET, projects: [], labels: { [TEST_LABEL]: GROUP } },
      () => {},
    );
    const fault = dockerFault("hog", {
      action: "memory-hog",
      size: "16Mi",
      oomVictim: "main",
      select: { labels: { [TEST_LABEL]: GROUP } },
    });
    const active = await inj.inject(fault, { runId: "oom1", experiment: "t", installation: "itest" });
    for (let i = 0; i < 50 && (await hostScore(name)) !== 1000; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await hostScore(name)).toBe(1000);
    await active.revert();
    await active.verifyReverted();
    expect(await hostScore(name)).toBe(before);
  });
});
