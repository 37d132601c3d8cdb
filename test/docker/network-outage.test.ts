import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerInjector } from "../../src/faults/docker/docker-injector.js";
import { priorStateOf, stateDifferences } from "../../src/faults/docker/prior-state.js";
import { CLI, runCli } from "../support/cli.js";
import { dockerFault, requireDocker, TEST_LABEL, TOXIPROXY_IMAGE } from "../support/docker-engine.js";
import { waitForInjected } from "../support/journal-wait.js";
import { type NetnsEngine, startNetnsEngine } from "../support/netns-docker-engine.js";

// The sandbox's containers share the host's network, so a network outage is shown here on a Docker
// Engine the test runs in a network namespace of its own; its subnets are documentation ranges.
const IMAGE = TOXIPROXY_IMAGE; // a small static server that answers GET /version
const group = "netns-outage";
const name = "gameday-test-api";
const STATIC_IP = "192.0.2.5";
const STATIC_IP6 = "2001:db8::5";
const URL = `http://${STATIC_IP}:8474/version`;
const dir = mkdtempSync(join(tmpdir(), "gameday-network-outage-"));
let engine: NetnsEngine;

const state = async () => priorStateOf(await engine.docker.getContainer(name).inspect());
/** The container's Docker interfaces, read from the host through /proc: no traffic, no tools inside it. */
async function interfaces(): Promise<string[]> {
  const pid = (await engine.docker.getContainer(name).inspect()).State.Pid;
  const dev = readFileSync(`/proc/${pid}/net/dev`, "utf8").split("\n").slice(2);
  // Only eth*: a host with tunnel modules loaded adds tunl0, sit0, ... to every new namespace.
  return dev
    .map((l) => l.split(":")[0]?.trim() ?? "")
    .filter((n) => n.startsWith("eth"))
    .sort();
}
/** The API's status once reachable again: a reconnected endpoint can take a moment to forward on a loaded machine. */
async function statusOnceReconnected(): Promise<number | "unreachable"> {
  let status = await engine.fetchStatus(URL);
  for (let i = 0; i < 40 && status !== 200; i++) {
    await sleep(250);
    status = await engine.fetchStatus(URL);
  }
  return status;
}
async function markers(): Promise<string[]> {
  const found = await engine.docker.listContainers({
    all: true,
    filters: { label: ["gameday.role=owner-marker"] },
  });
  return found.map((c) => c.Id);
}

describe("network-outage against a real Docker Engine, in a network namespace the test made", () => {
  beforeAll(async () => {
    await requireDocker();
    engine = await startNetnsEngine([IMAGE]);
    const d = engine.docker;
    await d.createNetwork({ Name: "net-a", IPAM: { Config: [{ Subnet: "192.0.2.0/28" }] } });
    await d.createNetwork({
      Name: "net-b",
      EnableIPv6: true,
      IPAM: { Config: [{ Subnet: "198.51.100.0/28" }, { Subnet: "2001:db8::/64" }] },
    });
    // A peer that the target links to on net-b, so the restore must bring the link back too.
    const db = await d.createContainer({
      name: "gameday-test-db",
      Image: IMAGE,
      Labels: { [TEST_LABEL]: `${group}-peer` },
      HostConfig: { NetworkMode: "net-b" },
    });
    await db.start();
    const c = await d.createContainer({
      name,
      Image: IMAGE,
      Cmd: ["-host=0.0.0.0"],
      Labels: { [TEST_LABEL]: group },
      HostConfig: { NetworkMode: "net-a", RestartPolicy: { Name: "unless-stopped" } },
      NetworkingConfig: {
        EndpointsConfig: {
          "net-a": { Aliases: ["api", "payments-api"], IPAMConfig: { IPv4Address: STATIC_IP } },
        },
      },
    });
    // A second network, dual-stack, with a dynamic IPv4, a fixed IPv6 and a link: each comes back as it was.
    await d.getNetwork("net-b").connect({
      Container: c.id,
      EndpointConfig: {
        Aliases: ["api-b"],
        IPAMConfig: { IPv6Address: STATIC_IP6 },
        Links: ["gameday-test-db:database"],
      },
    });
    await c.start();
    for (let i = 0; i < 50 && (await engine.fetchStatus(URL)) !== 200; i++) await sleep(100);
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("cuts every network off, then reconnects each with its aliases and fixed address, verified", async () => {
    const before = await state();
    expect(before.networks).toEqual({
      "net-a": {
        aliases: ["api", "payments-api"],
        ipv4Address: STATIC_IP,
        ipv6Address: "",
        linkLocalIps: [],
        links: [],
        driverOpts: {},
      },
      "net-b": {
        aliases: ["api-b"],
        ipv4Address: "",
        ipv6Address: STATIC_IP6,
        linkLocalIps: [],
        links: ["gameday-test-db:database"],
        driverOpts: {},
      },
    });
    expect(await interfaces()).toEqual(["eth0", "eth1"]);
    expect(await engine.fetchStatus(URL)).toBe(200);

    const injector = new DockerInjector(
      { socket: engine.socket, projects: [], labels: { [TEST_LABEL]: group } },
      () => {},
    );
    const fault = dockerFault("cut", { select: { name }, action: "network-outage" });
    expect((await injector.plan(fault)).targets).toEqual([`docker://${engine.socket}/${name} (running)`]);
    const active = await injector.inject(fault, { runId: "tnetns", experiment: "network-outage" });
    expect(await markers()).toHaveLength(1);
    expect(await interfaces()).toEqual([]);
    expect((await state()).networks).toEqual({});
    expect(await engine.fetchStatus(URL)).toBe("unreachable");

    await active.revert();
    await active.verifyReverted();
    await active.revert(); // idempotent
    expect(stateDifferences(before, await state())).toEqual([]);
    expect((await state()).networks).toEqual(before.networks);
    const info = await engine.docker.getContainer(name).inspect();
    expect(info.NetworkSettings.Networks["net-a"]?.IPAddress).toBe(STATIC_IP);
    expect(info.NetworkSettings.Networks["net-b"]?.GlobalIPv6Address).toBe(STATIC_IP6);
    expect(await interfaces()).toHaveLength(2);
    expect(await statusOnceReconnected()).toBe(200);
    expect(await markers()).toEqual([]);
  }, 60_000);

  it("after the runner is killed with SIGKILL mid-outage, recover reconnects it without the journal", async () => {
    const before = await state();
    const targets = join(dir, "targets.yaml");
    writeFileSync(
      targets,
      `apiVersion: gameday/v1\nkind: Targets\ntargets:\n  box:\n    docker: { socket: ${engine.socket}, labels: { ${TEST_LABEL}: ${group} } }\n`,
    );
    const file = join(dir, "outage.yaml");
    writeFileSync(
      file,
      `apiVersion: gameday/v1
kind: Experiment
metadata: { name: docker-network-outage }
spec:
  target: box
  faults:
    - { name: cut, for: 2m, docker: { select: { name: ${name} }, action: network-outage } }
`,
    );
    const plan = await runCli(["plan", file, "--targets", targets]);
    expect(plan.stderr).toBe("");
    expect(plan.stdout).toContain(name);

    const stateDir = join(dir, "state");
    const child = spawn(process.execPath, [CLI, "run", file, "--targets", targets, "--state-dir", stateDir], {
      stdio: "ignore",
    });
    try {
      await waitForInjected(stateDir);
      const deadline = Date.now() + 10_000;
      while ((await interfaces()).length > 0 && Date.now() < deadline) await sleep(100);
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    expect(await interfaces()).toEqual([]);
    expect(await engine.fetchStatus(URL)).toBe("unreachable");

    const rec = await runCli(["recover", "--targets", targets]);
    expect(rec.stderr).toBe("");
    expect(rec.code).toBe(0);
    expect(rec.stdout).toMatch(/1 of 1 orphaned faults reverted/);
    expect(stateDifferences(before, await state())).toEqual([]);
    expect(await interfaces()).toHaveLength(2);
    expect(await statusOnceReconnected()).toBe(200);
    expect(await markers()).toEqual([]);
  }, 90_000);
});
