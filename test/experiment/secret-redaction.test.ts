// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the interpolation syntax under test
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { freePort, type RunningToxiproxy, startToxiproxy } from "../support/toxiproxy-server.js";

/**
 * A real run (a private Toxiproxy, a gateway, a Prometheus and a /metrics endpoint that demand
 * credentials, all on loopback) with secrets planted in a file, in named variables, in a load
 * header and query, and in REDIS_URL; then every output of the run is searched for them: stdout,
 * stderr, the journal, run.json, junit, report.md and every other file of the run folder, and the
 * suite-level --junit/--report/--json files. The servers check that the credentials were sent.
 */

const PROM_TOKEN = "prom-token-5f2a9c1e77";
const SCRAPE_PASSWORD = "scrape-pass-0d93b4aa";
const API_KEY = "api-key-c81e7f3d20";
const REDIS_PASSWORD = "redis-pass-4471be09";
const PLANTED = [PROM_TOKEN, SCRAPE_PASSWORD, API_KEY, REDIS_PASSWORD];

let dir: string;
let toxiproxy: RunningToxiproxy;
const servers: Server[] = [];
const seen = { promAuth: 0, promBad: 0, scrapeAuth: 0, scrapeBad: 0, gatewayKey: 0 };

async function serve(handler: (req: IncomingMessage) => [number, string]): Promise<number> {
  const server = createServer((req, res) => {
    const [status, body] = handler(req);
    res.writeHead(status, { "content-type": "text/plain" }).end(body);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gameday-redaction-"));
  toxiproxy = await startToxiproxy();
  const gateway = await serve((req) => {
    if (req.headers["x-api-key"] === API_KEY && req.url?.includes(API_KEY)) seen.gatewayKey++;
    return [200, "ok"];
  });
  const proxyPort = await freePort();
  const created = await fetch(`${toxiproxy.url}/proxies`, {
    method: "POST",
    body: JSON.stringify({ name: "p", listen: `127.0.0.1:${proxyPort}`, upstream: `127.0.0.1:${gateway}` }),
  });
  expect(created.status).toBe(201);
  const prometheus = await serve((req) => {
    if (req.headers.authorization !== `Bearer ${PROM_TOKEN}`) {
      seen.promBad++;
      return [401, "unauthorized"];
    }
    seen.promAuth++;
    if (req.url?.startsWith("/-/ready")) return [200, "ready"];
    return [200, JSON.stringify({ status: "success", data: { resultType: "scalar", result: [0, "1"] } })];
  });
  const basic = `Basic ${Buffer.from(`gameday:${SCRAPE_PASSWORD}`).toString("base64")}`;
  const metrics = await serve((req) => {
    if (req.headers.authorization !== basic) {
      seen.scrapeBad++;
      return [401, "unauthorized"];
    }
    seen.scrapeAuth++;
    return [200, "# TYPE up gauge\nup 1\n"];
  });
  writeFileSync(join(dir, "prom-token"), `${PROM_TOKEN}\n`);
  writeFileSync(
    join(dir, "targets.yaml"),
    `apiVersion: gameday/v1
kind: Targets
targets:
  t:
    vars: { GATEWAY_URL: "http://127.0.0.1:${proxyPort}" }
    secrets:
      API_KEY: { env: GAMEDAY_TEST_API_KEY }
    toxiproxy: { url: "${toxiproxy.url}", proxies: [p] }
    prometheus:
      url: "http://127.0.0.1:${prometheus}"
      auth: { bearer: { file: "${join(dir, "prom-token")}" } }
    scrape: { svc: "http://127.0.0.1:${metrics}/metrics" }
    scrapeAuth: { basic: { username: gameday, password: { env: GAMEDAY_TEST_SCRAPE_PASSWORD } } }
`,
  );
  writeFileSync(
    join(dir, "exp.yaml"),
    `apiVersion: gameday/v1
kind: Experiment
metadata: { name: redaction }
spec:
  target: t
  sampleInterval: 200ms
  load:
    url: "\${GATEWAY_URL}/checkout?key=\${API_KEY}"
    rate: 20
    headers: { x-api-key: "\${API_KEY}" }
  steadyState:
    - { name: load healthy, source: load, metric: errorRatio, below: 0.5, over: 600ms }
    - { name: prometheus answers, promql: up, equals: 1, over: 400ms }
    - { name: scrape answers, scrape: { target: svc, metric: up }, equals: 1, over: 400ms }
  faults:
    - { name: slow, for: 1s, toxiproxy: { proxy: p, toxic: latency, latency: 5ms } }
  expect:
    - { name: still serving, source: load, metric: errorRatio, below: 0.5, during: slow }
  recovery: { within: 3s }
`,
  );
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await toxiproxy?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("secrets never reach an output", () => {
  it("a real run sends the credentials, and no output of it contains one", async () => {
    const env = {
      GAMEDAY_TEST_API_KEY: API_KEY,
      GAMEDAY_TEST_SCRAPE_PASSWORD: SCRAPE_PASSWORD,
      REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:6379`,
      GAMEDAY_TARGETS: "",
    };
    const state = join(dir, "state");
    const targets = join(dir, "targets.yaml");
    const exp = join(dir, "exp.yaml");
    const suite = [
      "--junit",
      join(dir, "suite.xml"),
      "--report",
      join(dir, "suite.md"),
      "--json",
      join(dir, "suite.json"),
    ];
    const plan = await runCli(["plan", exp, "--targets", targets], { cwd: dir, env });
    const run = await runCli(["run", exp, "--targets", targets, "--state-dir", state, ...suite], {
      cwd: dir,
      env,
      timeoutMs: 90_000,
    });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    // Passed, failed, or (on a starved machine) not run after the steady state: all of them ran the
    // probes with their credentials and wrote every artifact, which is what this test is about.
    expect([0, 1, 4], run.stdout + run.stderr).toContain(run.code);

    // The credentials were really used: a check that cannot fail proves nothing.
    expect(seen.promAuth).toBeGreaterThan(0);
    expect(seen.promBad).toBe(0);
    expect(seen.scrapeAuth).toBeGreaterThan(0);
    expect(seen.scrapeBad).toBe(0);
    expect(seen.gatewayKey).toBeGreaterThan(0);

    const outputs: [string, string][] = [
      ["plan stdout", plan.stdout],
      ["plan stderr", plan.stderr],
      ["run stdout", run.stdout],
      ["run stderr", run.stderr],
      ...[...filesUnder(state), join(dir, "suite.xml"), join(dir, "suite.md"), join(dir, "suite.json")].map(
        (f): [string, string] => [f, readFileSync(f, "utf8")],
      ),
    ];
    const runFiles = filesUnder(state).map((f) => f.split("/").pop());
    expect(runFiles).toEqual(expect.arrayContaining(["journal.jsonl", "run.json", "junit.xml", "report.md"]));
    const base64 = Buffer.from(`gameday:${SCRAPE_PASSWORD}`).toString("base64");
    for (const [where, text] of outputs)
      for (const secret of [...PLANTED, base64])
        expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
    // The URL with the secret is still shown, masked, where it is shown at all.
    expect(plan.stdout).toContain("/checkout?key=***");
  });
});
