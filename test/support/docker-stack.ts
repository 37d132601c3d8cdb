import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { composePorts } from "../../src/sandbox/docker/compose-ports.js";
import { runCli } from "./cli.js";
import { DOCKER_SOCKET } from "./docker-engine.js";

/** The tests' compose stack: its own project, 3000 above the process sandbox (1000 above is the user's). */
export const STACK_PROJECT = "gameday-test-stack";
export const STACK_OFFSET = 3000;
export const STACK_PORTS = composePorts(STACK_OFFSET);
const url = (port: number) => `http://127.0.0.1:${port}`;

/** A targets file naming the test stack `sandbox-docker`, as the experiments in experiments/docker expect. */
export function stackTargets(): string {
  const dir = mkdtempSync(join(tmpdir(), "gameday-docker-stack-"));
  const file = join(dir, "targets.yaml");
  const s = STACK_PORTS.services;
  writeFileSync(
    file,
    `apiVersion: gameday/v1
kind: Targets
targets:
  sandbox-docker:
    vars: { GATEWAY_URL: "${url(s.gateway)}" }
    docker: { socket: ${DOCKER_SOCKET}, projects: [${STACK_PROJECT}] }
    toxiproxy: { url: "${url(STACK_PORTS.toxiproxy)}", proxies: [orders, payments, risk] }
    prometheus: { url: "${url(STACK_PORTS.prometheus)}" }
    scrape:
      gateway: ${url(s.gateway)}/metrics
      orders: ${url(s.orders)}/metrics
      payments: ${url(s.payments)}/metrics
      risk: ${url(s.risk)}/metrics
`,
  );
  return file;
}

const stackArgs = ["--runtime", "docker", "--project", STACK_PROJECT];

/** `gameday sandbox up --runtime docker`, as a user runs it; env can change the compose variables. */
export async function stackUp(env: Record<string, string> = {}, breaks: string[] = []) {
  const r = await runCli(
    [
      "sandbox",
      "up",
      ...stackArgs,
      "--port-offset",
      String(STACK_OFFSET),
      ...breaks.flatMap((b) => ["--break", b]),
    ],
    { env, timeoutMs: 300_000 },
  );
  if (r.code !== 0) throw new Error(`sandbox up --runtime docker failed (${r.code}):\n${r.stderr}`);
  return r;
}

export async function stackDown() {
  return runCli(["sandbox", "down", ...stackArgs], { timeoutMs: 120_000 });
}
