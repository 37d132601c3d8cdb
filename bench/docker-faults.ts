import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { DockerInjector } from "../src/faults/docker/docker-injector.js";
import { composeDown, composeUp } from "../src/sandbox/docker/compose-stack.js";
import { networkOutage } from "./docker-network-outage.js";
import { CLI, exec } from "./support/cli.js";
import { type Latencies, measureActions } from "./support/docker-actions.js";
import type { Metric, Section } from "./support/report.js";
import { median } from "./support/stats.js";

const SOCKET = process.env.GAMEDAY_DOCKER_SOCKET ?? "/var/run/docker.sock";
const LABEL = "gameday.bench";
const ACTIONS: Record<string, Record<string, unknown>> = {
  stop: { action: "stop", timeout: "1s" },
  kill: { action: "kill", signal: "SIGKILL" },
  pause: { action: "pause" },
  restart: { action: "restart", timeout: "1s" },
  "memory-limit": { action: "memory-limit", limit: "128Mi" },
  "memory-hog": { action: "memory-hog", size: "64Mi" },
  "cpu-quota": { action: "cpu-quota", cpus: 0.25 },
  "cpu-burn": { action: "cpu-burn", workers: 1 },
};

/** The host's engine: every action but network-outage, on a host-networked container. */
async function hostActions(docker: Docker, rounds: number, log: (m: string) => void): Promise<Latencies> {
  const name = `gameday-bench-${process.pid}`;
  const c = await docker.createContainer({
    name,
    Image: "gameday/sandbox:local",
    Cmd: ["node", "-e", "setInterval(() => {}, 1000)"],
    Labels: { [LABEL]: name },
    StopSignal: "SIGKILL",
    HostConfig: {
      NetworkMode: "host",
      Memory: 256 << 20,
      MemorySwap: 256 << 20,
      RestartPolicy: { Name: "no" },
    },
  });
  await c.start();
  const injector = new DockerInjector({ socket: SOCKET, projects: [], labels: { [LABEL]: name } }, () => {});
  try {
    return await measureActions(injector, name, ACTIONS, rounds, log);
  } finally {
    await c.remove({ force: true });
  }
}

async function actionLatencies(docker: Docker, rounds: number, log: (m: string) => void): Promise<Section> {
  const raw = await hostActions(docker, rounds, log);
  const notes: string[] = [];
  // A failure here (no root, no iproute2) must not lose the host actions' figures.
  await networkOutage(rounds, log).then(
    (r) => Object.assign(raw, r),
    (err: Error) => notes.push(`network-outage not measured: ${err.message}`),
  );
  const metrics: Metric[] = Object.entries(raw).flatMap(([action, r]) => [
    { name: `${action}: inject (median)`, value: median(r.inject), unit: "ms" },
    { name: `${action}: revert + verify (median)`, value: median(r.revert), unit: "ms" },
  ]);
  return {
    id: "docker-actions",
    title: "Docker actions: inject and revert latency",
    commands: [
      `DockerInjector against dockerd on ${SOCKET}, ${rounds} rounds per action after one warm-up`,
      "network-outage: the same against a dockerd the bench starts in its own network namespace (2 networks)",
    ],
    metrics,
    notes: [
      "inject includes selection (list + inspect), the owner marker container and the action itself",
      "revert includes restoring the prior state, verifying it by inspect (and exec for helpers), and removing the marker",
      ...notes,
    ],
    raw,
  };
}

const OOM_EXPERIMENT = `apiVersion: gameday/v1
kind: Experiment
metadata: { name: bench-oom-to-breaker }
spec:
  target: sandbox-docker
  sampleInterval: 250ms
  load: { url: "\${GATEWAY_URL}/checkout", rate: 50, timeout: 2s }
  steadyState:
    - { name: healthy, source: load, metric: errorRatio, below: 0.01, over: 3s }
  faults:
    - { name: squeeze, at: 1s, for: 14s, docker: { select: { service: payments }, action: memory-limit, limit: 96Mi } }
    - { name: leak, at: 2s, for: 12s, docker: { select: { service: payments }, action: memory-hog, size: 512Mi, oomVictim: main } }
  expect:
    - { name: breaker opens, check: breakerCycle, service: orders, dependency: payments, during: leak, within: 10s, closedWithin: 20s }
  recovery: { within: 30s }
`;

/** The Engine's oom events of the project's containers since `since` (seconds), read to the end. */
async function oomEvents(
  docker: Docker,
  since: number,
  project: string,
): Promise<Array<{ timeNano: number }>> {
  const stream = (await docker.getEvents({
    since,
    until: Math.ceil(Date.now() / 1000),
    filters: { event: ["oom"], label: [`com.docker.compose.project=${project}`] },
  })) as NodeJS.ReadableStream;
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return text
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { timeNano: number });
}

/**
 * The time from the kernel's OOM kill of payments to the first sample in which the experiment saw
 * orders' breaker open. Payments runs without a restart policy here, so the kill is final until
 * the rollback: with the policy on, payments is back within a second and the breaker has no cause to open.
 */
async function oomToBreaker(docker: Docker, runs: number, log: (m: string) => void): Promise<Section> {
  const offset = 4000;
  const project = "gameday-bench";
  const dir = mkdtempSync(join(tmpdir(), "gameday-bench-docker-"));
  const ep = await composeUp({ project, portOffset: offset, env: { GAMEDAY_PAYMENTS_RESTART: "no" }, log });
  const targets = join(dir, "targets.yaml");
  writeFileSync(
    targets,
    `apiVersion: gameday/v1\nkind: Targets\ntargets:\n  sandbox-docker:\n    vars: { GATEWAY_URL: "${ep.gatewayUrl}" }\n    docker: { socket: ${SOCKET}, projects: [${project}] }\n    prometheus: { url: "${ep.prometheusUrl}" }\n    scrape: { orders: "${ep.metricsUrls.orders}" }\n`,
  );
  const file = join(dir, "oom.yaml");
  writeFileSync(file, OOM_EXPERIMENT);
  const gaps: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const stateDir = join(dir, `state${i}`);
      const since = Math.floor(Date.now() / 1000);
      const r = await exec(
        process.execPath,
        [CLI, "run", file, "--targets", targets, "--state-dir", stateDir, "--quiet"],
        { timeoutMs: 120_000 },
      );
      const oom = await oomEvents(docker, since, project);
      const runDir = join(stateDir, "runs", readdirSync(join(stateDir, "runs"))[0] as string);
      const result = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")) as {
        expectations: Array<{ samples: Array<{ t: number; value?: number }> }>;
      };
      const opened = result.expectations[0]?.samples.find((s) => s.value === 2)?.t;
      const killedAt = oom[0] ? oom[0].timeNano / 1e6 : undefined;
      if (opened === undefined || killedAt === undefined) {
        log(
          `docker oom run ${i}: exit ${r.code}, oom ${killedAt ?? "not seen"}, breaker open ${opened ?? "not seen"}`,
        );
        continue;
      }
      gaps.push(opened - killedAt);
      log(
        `docker oom run ${i}: exit ${r.code}, breaker open ${(opened - killedAt).toFixed(0)} ms after the OOM kill`,
      );
    }
  } finally {
    await composeDown({ project, log });
  }
  return {
    id: "docker-oom-breaker",
    title: "Docker: OOM kill of payments to orders' breaker open, as the experiment saw it",
    commands: [
      `gameday run (memory-limit 96Mi + memory-hog 512Mi oomVictim main) x${runs}, sampleInterval 250ms`,
    ],
    metrics: [{ name: "OOM kill -> breaker open (median)", value: median(gaps), unit: "ms" }],
    notes: [
      "OOM time: the Engine's oom event; breaker open: the first expectation sample reading circuit_breaker_state 2",
      "includes the breaker's own detection (50% errors over 5 s, at least 5 calls) and the 250 ms sampling interval",
      `${gaps.length} of ${runs} runs measured`,
    ],
    raw: gaps,
  };
}

/** Docker benches; bench/run-all.ts calls `benchDocker({ quick, log })` and renders the sections. */
export async function benchDocker(ctx: { quick: boolean; log(message: string): void }): Promise<Section[]> {
  const docker = new Docker({ socketPath: SOCKET, timeout: 60_000 });
  const actions = await actionLatencies(docker, ctx.quick ? 3 : 10, ctx.log);
  const oom = await oomToBreaker(docker, ctx.quick ? 1 : 3, ctx.log);
  return [actions, oom];
}
