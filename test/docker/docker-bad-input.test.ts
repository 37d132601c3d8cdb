import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RollbackError } from "../../src/errors/gameday-error.js";
import { DockerInjector } from "../../src/faults/docker/docker-injector.js";
import { priorStateOf } from "../../src/faults/docker/prior-state.js";
import { runCli } from "../support/cli.js";
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

const group = `bad-${randomBytes(3).toString("hex")}`;
const dir = mkdtempSync(join(tmpdir(), "gameday-docker-bad-"));
const targets = (socket = DOCKER_SOCKET) => {
  const file = join(dir, `targets-${randomBytes(2).toString("hex")}.yaml`);
  writeFileSync(
    file,
    `apiVersion: gameday/v1\nkind: Targets\ntargets:\n  box:\n    docker: { socket: ${socket}, labels: { ${TEST_LABEL}: ${group} } }\n`,
  );
  return file;
};
function experiment(docker: string): string {
  const file = join(dir, `exp-${randomBytes(2).toString("hex")}.yaml`);
  writeFileSync(
    file,
    `apiVersion: gameday/v1
kind: Experiment
metadata: { name: docker-bad-input }
spec:
  target: box
  faults:
    - name: f1
      for: 2s
      docker: ${docker}
`,
  );
  return file;
}
const run = (file: string, t = targets()) =>
  runCli(["run", file, "--targets", t, "--state-dir", join(dir, "state"), "--quiet"]);

describe("docker faults: bad input is refused clearly and nothing is injected", () => {
  beforeAll(async () => {
    await requireDocker();
    await startTarget(`gameday-test-${group}-1`, group);
    await startTarget(`gameday-test-${group}-2`, group);
  });
  afterAll(async () => {
    await removeGroup(group);
  });

  it("a selector that matches nothing: exit 4, nothing injected", async () => {
    const r = await run(experiment("{ select: { name: no-such-container-here }, action: stop }"));
    expect(r.code).toBe(4);
    expect(r.stdout + r.stderr).toContain(
      "no container matches name=no-such-container-here; nothing injected",
    );
    for (const n of [1, 2])
      expect(priorStateOf(await docker.getContainer(`gameday-test-${group}-${n}`).inspect()).running).toBe(
        true,
      );
  });

  it("a container outside the target's allow-list: exit 4, named", async () => {
    const other = join(dir, "other.yaml");
    writeFileSync(
      other,
      "apiVersion: gameday/v1\nkind: Targets\ntargets:\n  box:\n    docker: { labels: { team: nobody } }\n",
    );
    const r2 = await run(experiment(`{ select: { name: gameday-test-${group}-1 }, action: stop }`), other);
    expect(r2.code).toBe(4);
    expect(r2.stdout + r2.stderr).toContain("none is in the target's docker allow-list");
  });

  it("a memory size without units, or larger than the host: exit 2 naming file, line and field", async () => {
    const bare = experiment(`{ select: { name: x }, action: memory-hog, size: 512 }`);
    const r = await runCli(["validate", bare, "--targets", targets()]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(
      new RegExp(
        `${bare.replace(/[.]/g, "\\.")}:9:\\d+: spec\\.faults\\[0\\]\\.docker\\.size: expected a memory size with a unit`,
      ),
    );
    const huge = experiment(`{ select: { name: x }, action: memory-limit, limit: 64Ti }`);
    const r2 = await runCli(["validate", huge, "--targets", targets()]);
    expect(r2.code).toBe(2);
    expect(r2.stdout + r2.stderr).toContain("expected a memory size");
    const big = experiment(`{ select: { name: x }, action: memory-limit, limit: 4096Gi }`);
    const r3 = await runCli(["validate", big, "--targets", targets()]);
    expect(r3.code, r3.stdout + r3.stderr).toBe(2);
    expect(r3.stdout + r3.stderr).toContain("expected at most this host's memory");
  });

  it("a network outage of a host-networked container is refused before anything is touched", async () => {
    // The sandbox's containers share the host's network: disconnecting them is impossible. The
    // outage itself is tested on Docker networks in test/docker/network-outage.test.ts.
    const r = await run(experiment(`{ select: { name: gameday-test-${group}-1 }, action: network-outage }`));
    expect(r.code).toBe(4);
    expect(r.stdout + r.stderr).toContain(
      "its network mode is host: only containers on Docker networks can be disconnected",
    );
  });

  it("an owner marker whose prior state cannot be read: recover fails naming it, and keeps it", async () => {
    const target = await docker.getContainer(`gameday-test-${group}-1`).inspect();
    const marker = await docker.createContainer({
      name: `gameday-marker-broken-${group}`,
      Image: target.Image,
      Entrypoint: ["/gameday-owner-marker-never-started"],
      Labels: {
        "gameday.role": "owner-marker",
        "gameday.owner": `gameday.b${group}.f1`,
        "gameday.run": `b${group}`,
        "gameday.target": target.Id,
        "gameday.prior": "{not json",
      },
      HostConfig: { NetworkMode: "none" },
    });
    const rec = await runCli(["recover", "--targets", targets()]);
    expect(rec.code).not.toBe(0);
    expect(rec.stderr).toContain(
      `owner marker ${marker.id.slice(0, 12)} of container ${target.Id.slice(0, 12)}`,
    );
    expect(rec.stderr).toContain("its prior state cannot be read, so it was not restored");
    expect((await docker.getContainer(marker.id).inspect()).Id).toBe(marker.id); // the evidence stays
  });

  it("no Docker Engine reachable: a preflight error naming the socket it tried", async () => {
    const r = await run(
      experiment("{ select: { name: x }, action: stop }"),
      targets("/tmp/gameday-no-docker-here.sock"),
    );
    expect(r.code).toBe(4);
    expect(r.stdout + r.stderr).toContain("no Docker Engine answers on /tmp/gameday-no-docker-here.sock");
  });

  it("a container that disappears mid-fault: the rest is reverted, and the revert says which one vanished", async () => {
    const injector = new DockerInjector(
      { socket: DOCKER_SOCKET, projects: [], labels: { [TEST_LABEL]: group } },
      () => {},
    );
    const runId = `t${group}`;
    const active = await injector.inject(
      dockerFault("squeeze", {
        select: { labels: { [TEST_LABEL]: group } },
        mode: "all",
        action: "memory-limit",
        limit: "100Mi",
      }),
      { runId, experiment: "docker-bad-input" },
    );
    await docker.getContainer(`gameday-test-${group}-2`).remove({ force: true });
    const err = await active.revert().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RollbackError);
    expect((err as Error).message).toContain(
      `container gameday-test-${group}-2 disappeared during the fault`,
    );
    const survivor = priorStateOf(await docker.getContainer(`gameday-test-${group}-1`).inspect());
    expect([survivor.memory, survivor.running]).toEqual([256 * 1024 ** 2, true]);
    expect(await markersOf(runId)).toEqual([]);
  });
});
