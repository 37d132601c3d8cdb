import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CliResult, runCli } from "./cli.js";

/** Shifted like the sandbox itself, so a private stack on other ports can run these tests too. */
const OFFSET = Number(process.env.GAMEDAY_SANDBOX_PORT_OFFSET ?? 0);
const local = (port: number) => `http://127.0.0.1:${port + OFFSET}`;

/** The sandbox's loopback endpoints (see targets.yaml), shifted by $GAMEDAY_SANDBOX_PORT_OFFSET. */
export const SANDBOX = {
  gateway: local(18080),
  toxiproxy: local(8474),
  prometheus: local(19090),
  orders: local(18081),
  payments: local(18082),
  risk: local(18083),
};

export interface Workspace {
  dir: string;
  targets: string;
  stateDir: string;
  write(name: string, yaml: string): string;
}

/** A temp folder with a targets file for the sandbox (overridable) and a state dir. */
export function workspace(overrides: { toxiproxy?: string; prometheus?: string } = {}): Workspace {
  const dir = mkdtempSync(join(tmpdir(), "gameday-test-"));
  const targets = join(dir, "targets.yaml");
  writeFileSync(
    targets,
    `apiVersion: gameday/v1
kind: Targets
targets:
  sandbox:
    vars: { GATEWAY_URL: "${SANDBOX.gateway}" }
    toxiproxy: { url: "${overrides.toxiproxy ?? SANDBOX.toxiproxy}", proxies: [orders, payments, risk] }
    prometheus: { url: "${overrides.prometheus ?? SANDBOX.prometheus}" }
    scrape:
      gateway: ${SANDBOX.gateway}/metrics
      orders: ${SANDBOX.orders}/metrics
      payments: ${SANDBOX.payments}/metrics
      risk: ${SANDBOX.risk}/metrics
`,
  );
  return {
    dir,
    targets,
    stateDir: join(dir, "state"),
    write(name, yaml) {
      const file = join(dir, name);
      writeFileSync(file, yaml);
      return file;
    },
  };
}

/** A short experiment: 2 s baseline, one fault, given expectations (YAML list items, indented 4). */
export function experiment(opts: {
  name: string;
  fault: string;
  faultFor?: string;
  expect?: string;
  steady?: string;
  abort?: string;
  recovery?: string;
}): string {
  return `apiVersion: gameday/v1
kind: Experiment
metadata: { name: ${opts.name} }
spec:
  target: sandbox
  sampleInterval: 500ms
  load: { url: "\${GATEWAY_URL}/checkout", rate: 40, timeout: 2s }
  steadyState:
${opts.steady ?? "    - { name: checkout healthy, source: load, metric: errorRatio, below: 0.05, over: 2s }"}
  faults:
    - name: f1
      at: 500ms
      for: ${opts.faultFor ?? "3s"}
      toxiproxy: ${opts.fault}
  expect:
${opts.expect ?? "    []"}
  abortWhen:
${opts.abort ?? "    []"}
  recovery: { within: ${opts.recovery ?? "15s"} }
`;
}

interface ProxyJson {
  name: string;
  enabled: boolean;
  toxics: { name: string }[];
}

/** Everything gameday-owned still in the sandbox's Toxiproxy: must be empty after every run. */
export async function leftovers(url = SANDBOX.toxiproxy): Promise<string[]> {
  const proxies = (await (await fetch(`${url}/proxies`)).json()) as Record<string, ProxyJson>;
  const out: string[] = [];
  for (const p of Object.values(proxies)) {
    if (!p.enabled) out.push(`${p.name} disabled`);
    for (const t of p.toxics) out.push(`${p.name}/${t.name}`);
  }
  return out;
}

/** Writes an experiment into the workspace and runs it with the real CLI against the workspace's targets. */
export function runIn(ws: Workspace, name: string, yaml: string, extra: string[] = []): Promise<CliResult> {
  const file = ws.write(name, yaml);
  return runCli(["run", file, "--targets", ws.targets, "--state-dir", ws.stateDir, ...extra]);
}
