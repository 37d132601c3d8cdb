import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { experimentSchema } from "../../src/experiment/schema.js";
import { InjectorRegistry } from "../../src/faults/injector-registry.js";
import { RunTracing } from "../../src/report/trace/run-tracing.js";
import { runExperiment } from "../../src/run/experiment-runner.js";
import type { RunResult } from "../../src/run/run-result.js";
import { loadTargets } from "../../src/targets/targets-loader.js";
import { targetSchema } from "../../src/targets/targets-schema.js";
import { resolveTelemetry } from "../../src/targets/telemetry-credentials.js";
import { FakeInjector, FakeTarget } from "../faults/fake-injector.js";
import { startToxiproxyFixture, type ToxiproxyFixture } from "../faults/toxiproxy/toxiproxy-fixture.js";
import { dropPrefix, spawnWorker, testPrefix } from "../queue/support/queue-processes.js";
import { REDIS_URL, requireRedis } from "../queue/support/redis-server.js";
import { runCli } from "../support/cli.js";
import { type CollectedSpan, type RunningCollector, startCollector } from "../support/otel-collector.js";
import { scratchFiles } from "../support/scratch-files.js";
import { freePort } from "../support/toxiproxy-server.js";

/**
 * A run's OpenTelemetry trace, received by the real Collector (scripts/lib/otelcol.sh) and read
 * back from its file exporter: the span tree of a CLI run with a real Toxiproxy fault, a game
 * day's runs under one span (fake injector), what plan and validate show, bad telemetry config,
 * and an unreachable collector (the run passes, one warning line, at most ~2 s more).
 */
const TOKEN = "otlp-token-8d1f3a9c";
let collector: RunningCollector;
let fx: ToxiproxyFixture;

beforeAll(async () => {
  collector = await startCollector();
  fx = await startToxiproxyFixture();
});
afterAll(async () => {
  await collector?.stop();
  await fx?.stop();
});

function targetsText(endpoint: string | undefined): string {
  const telemetry = endpoint
    ? `telemetry:
  otlp:
    endpoint: ${endpoint}
    headers:
      x-gameday-token: { env: GAMEDAY_TEST_OTLP_TOKEN }
`
    : "";
  return `apiVersion: gameday/v1
kind: Targets
installation: itest-otel
targets:
  local:
    hosts: ["127.0.0.1"]
    toxiproxy: { url: "${fx.url}", proxies: [payments] }
${telemetry}`;
}

function experimentText(name: string): string {
  const url = `http://127.0.0.1:${fx.port("payments")}/`;
  return `apiVersion: gameday/v1
kind: Experiment
metadata: { name: ${name} }
spec:
  target: local
  sampleInterval: 100ms
  load: { url: "${url}", rate: 20, timeout: 2s }
  steadyState:
    - { name: payments answers, http: { url: "${url}" }, equals: 200, over: 500ms }
  faults:
    - { name: slow, at: 0s, for: 2s, toxiproxy: { proxy: payments, toxic: latency, latency: 150ms } }
  expect:
    - { name: payments still answers, http: { url: "${url}", timeout: 2s }, equals: 200, during: slow }
    - { name: the load sees the latency, source: load, metric: p95, above: 100ms, within: 2s, during: slow }
  recovery: { within: 2s }
`;
}

const ENV = { GAMEDAY_TEST_OTLP_TOKEN: TOKEN };

function byName(spans: CollectedSpan[], name: string): CollectedSpan {
  const s = spans.find((x) => x.name === name);
  if (!s) throw new Error(`no span ${name} among ${spans.map((x) => x.name).join(", ")}`);
  return s;
}

const inTrace = (spans: CollectedSpan[], traceId: string) => spans.filter((s) => s.traceId === traceId);

describe("run traces over OTLP, received by a real OpenTelemetry Collector", () => {
  it("a CLI run with a real Toxiproxy fault exports its span tree: root, phases, fault, expectations, verdict", async () => {
    const f = scratchFiles("gameday-otel-");
    const targets = f.write("targets.yaml", targetsText(collector.endpoint));
    const exp = f.write("exp.yaml", experimentText("traced-latency"));
    const stateDir = join(f.dir, "state");
    const res = await runCli(["run", exp, "--targets", targets, "--state-dir", stateDir], { env: ENV });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stderr).not.toContain("telemetry");
    const [runId] = readdirSync(join(stateDir, "runs"));
    const all = await collector.waitFor((s) =>
      s.some((x) => x.name === "gameday.run traced-latency" && x.attributes["gameday.run.id"] === runId),
    );
    const root = all.find((x) => x.attributes["gameday.run.id"] === runId) as CollectedSpan;
    expect(root, "the run's root span").toBeDefined();
    expect(root.parentSpanId ?? "").toBe("");
    expect(root.attributes).toMatchObject({
      "gameday.experiment": "traced-latency",
      "gameday.target": "local",
      "gameday.verdict": "passed",
      "gameday.exit_code": 0,
    });
    expect(root.status.code).toBe(1); // OK
    const spans = inTrace(all, root.traceId);
    const phases = [
      "gameday.preflight",
      "gameday.steady_state.before",
      "gameday.method",
      "gameday.rollback",
      "gameday.steady_state.after",
    ];
    for (const p of phases) expect(byName(spans, p).parentSpanId, p).toBe(root.spanId);
    const method = byName(spans, "gameday.method");
    const fault = byName(spans, "gameday.fault slow");
    expect(fault.parentSpanId).toBe(method.spanId);
    expect(fault.attributes).toMatchObject({
      "gameday.fault.name": "slow",
      "gameday.fault.kind": "toxiproxy",
      "gameday.fault.targets": [`${fx.url}/proxies/payments`],
      "gameday.fault.attribute.proxy": "payments",
      "gameday.fault.attribute.toxic": "latency",
      "gameday.fault.attribute.latency": 150,
      "gameday.fault.for_ms": 2000,
      "gameday.fault.reverted": true,
    });
    expect(String(fault.attributes["gameday.fault.owner_tag"])).toMatch(/^gameday@itest-otel\./);
    expect(fault.events.map((e) => e.name)).toEqual([
      "injecting",
      "injected",
      "reverting",
      "reverted (verified)",
    ]);
    // From the journalled injection to the verified revert: at least the fault's 2 s.
    expect(
      Number(BigInt(fault.endTimeUnixNano) - BigInt(fault.startTimeUnixNano)) / 1e6,
    ).toBeGreaterThanOrEqual(1900);
    const status = byName(spans, "gameday.expectation payments still answers");
    expect(status.parentSpanId).toBe(root.spanId);
    expect(status.attributes).toMatchObject({
      "gameday.expectation.outcome": "passed",
      "gameday.expectation.semantics": "always during slow",
      "gameday.expectation.threshold": "== 200",
      "gameday.expectation.observed.min": 200,
      "gameday.expectation.observed.max": 200,
    });
    const p95 = byName(spans, "gameday.expectation the load sees the latency");
    expect(p95.attributes["gameday.expectation.outcome"]).toBe("passed");
    expect(p95.attributes["gameday.expectation.threshold.value"]).toBe(100);
    expect(Number(p95.attributes["gameday.expectation.observed.max"])).toBeGreaterThan(100);
    const before = byName(spans, "gameday.steady_state.before");
    const check = spans.find(
      (s) => s.name === "gameday.steady_state.check payments answers" && s.parentSpanId === before.spanId,
    );
    expect(check?.attributes["gameday.check.ok"]).toBe(true);
    // The header's value is a secret: never in any output, nor in any span.
    expect(res.stdout + res.stderr + JSON.stringify(spans)).not.toContain(TOKEN);
  });

  it("a game day's runs are children of one gameday.game_day span; a failed expectation carries its worst value", async () => {
    const f = scratchFiles("gameday-otel-day-");
    const file = f.write("targets.yaml", targetsText(collector.endpoint));
    process.env.GAMEDAY_TEST_OTLP_TOKEN = TOKEN;
    const telemetry = resolveTelemetry(await loadTargets(file));
    const lines: string[] = [];
    const tracing = await RunTracing.open(telemetry, (l) => lines.push(l));
    if (!tracing) throw new Error("the targets file's telemetry was not picked up");
    const suite = { name: "drill", file: join(f.dir, "day.yaml"), continueOnFailure: true };
    const results: RunResult[] = [];
    for (const expectStatus of [200, 500]) {
      const injectors = new InjectorRegistry();
      injectors.register(new FakeInjector(new FakeTarget()));
      const trace = tracing.forRun(suite);
      const result = await runExperiment({
        file: "fake.yaml",
        experiment: experimentSchema.parse({
          apiVersion: "gameday/v1",
          kind: "Experiment",
          metadata: { name: `fake-${expectStatus}` },
          spec: {
            target: "fake",
            sampleInterval: "50ms",
            faults: [
              { name: "f1", for: "300ms", toxiproxy: { proxy: "p1", toxic: "latency", latency: "10ms" } },
            ],
            expect: [{ name: "status", http: { url: fx.upstreamUrl }, equals: expectStatus, during: "f1" }],
            recovery: { within: "100ms" },
          },
        }),
        targetName: "fake",
        target: targetSchema.parse({ hosts: ["127.0.0.1"] }),
        stateDir: join(f.dir, "state"),
        injectors,
        installation: "itest-otel",
        gameDay: suite.name,
        parameters: { expected: expectStatus },
        onEvent: trace.onEvent,
      });
      await trace.onRunEnd(result);
      results.push(result);
    }
    await tracing.close();
    expect(results.map((r) => r.verdict)).toEqual(["passed", "failed"]);
    expect(lines).toEqual([]);
    const all = await collector.waitFor((s) =>
      s.some(
        (x) => x.name === "gameday.game_day drill" && x.attributes["gameday.game_day.file"] === suite.file,
      ),
    );
    const day = all.find((x) => x.attributes["gameday.game_day.file"] === suite.file) as CollectedSpan;
    expect(day.attributes).toMatchObject({
      "gameday.runs": 2,
      "gameday.exit_code": 1,
      "gameday.verdict": "failed",
    });
    expect(day.status.code).toBe(2); // ERROR
    const spans = inTrace(all, day.traceId);
    const ok = byName(spans, "gameday.run fake-200");
    const bad = byName(spans, "gameday.run fake-500");
    expect([ok.parentSpanId, bad.parentSpanId]).toEqual([day.spanId, day.spanId]);
    expect(ok.attributes).toMatchObject({ "gameday.game_day": "drill", "gameday.parameter.expected": 200 });
    expect(bad.attributes).toMatchObject({ "gameday.verdict": "failed", "gameday.exit_code": 1 });
    expect(bad.status.code).toBe(2);
    const failed = spans.find(
      (s) => s.name === "gameday.expectation status" && s.parentSpanId === bad.spanId,
    );
    expect(failed?.attributes).toMatchObject({
      "gameday.expectation.outcome": "failed",
      "gameday.expectation.threshold": "== 500",
      "gameday.expectation.worst": 200,
      "gameday.expectation.observed.last": 200,
    });
    expect(failed?.status.code).toBe(2);
  });

  it("a queued game day run by a worker is traced too: its runs under one gameday.game_day span", async () => {
    await requireRedis();
    const f = scratchFiles("gameday-otel-worker-");
    const targets = f.write("targets.yaml", targetsText(collector.endpoint));
    f.write("exp.yaml", experimentText("queued-traced"));
    const day = f.write(
      "day.yaml",
      "apiVersion: gameday/v1\nkind: GameDay\nmetadata: { name: queued-day }\nspec:\n  experiments: [exp.yaml]\n",
    );
    const prefix = testPrefix("otel");
    const q = ["--redis", REDIS_URL, "--prefix", prefix];
    const worker = await spawnWorker(
      ["--targets", targets, "--state-dir", join(f.dir, "state"), "--concurrency", "1", ...q],
      ENV,
    );
    try {
      const res = await runCli(["enqueue", day, "--targets", targets, ...q, "--wait"], { env: ENV });
      expect(res.code, res.stdout + res.stderr).toBe(0);
      const queueRun = /as run (\S+)/.exec(res.stdout)?.[1];
      const all = await collector.waitFor((s) =>
        s.some(
          (x) => x.name === "gameday.game_day queued-day" && x.attributes["gameday.game_day.file"] === day,
        ),
      );
      const span = all.find((x) => x.attributes["gameday.game_day.file"] === day) as CollectedSpan;
      expect(span.attributes).toMatchObject({ "gameday.runs": 1, "gameday.exit_code": 0 });
      const run = byName(inTrace(all, span.traceId), "gameday.run queued-traced");
      expect(run.parentSpanId).toBe(span.spanId);
      expect(run.attributes["gameday.verdict"]).toBe("passed");
      expect(queueRun).toBeDefined();
      expect(worker.log()).not.toContain(TOKEN);
    } finally {
      await worker.kill("SIGTERM");
      await dropPrefix(REDIS_URL, prefix);
    }
  });

  it("plan and validate show the receiver and header names, never a header's value", async () => {
    const f = scratchFiles("gameday-otel-plan-");
    const targets = f.write("targets.yaml", targetsText(collector.endpoint));
    const exp = f.write("exp.yaml", experimentText("planned"));
    const plan = await runCli(["plan", exp, "--targets", targets], { env: ENV });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`trace: OTLP traces to ${collector.endpoint} (headers: x-gameday-token)`);
    const validate = await runCli(["validate", targets], { env: ENV });
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain(
      `telemetry: OTLP traces to ${collector.endpoint} (headers: x-gameday-token)`,
    );
    expect(plan.stdout + plan.stderr + validate.stdout + validate.stderr).not.toContain(TOKEN);
  });

  it("bad telemetry config exits 2 naming the file, the line and the field, before anything runs", async () => {
    const f = scratchFiles("gameday-otel-bad-");
    const exp = f.write("exp.yaml", experimentText("never-runs"));
    const badUrl = f.write("bad-url.yaml", targetsText("file:///etc/passwd"));
    const res = await runCli(["run", exp, "--targets", badUrl], { env: ENV });
    expect(res.code, res.stdout + res.stderr).toBe(2);
    const line =
      targetsText("file:///etc/passwd")
        .split("\n")
        .findIndex((l) => l.includes("endpoint:")) + 1;
    expect(res.stderr).toContain(`${badUrl}:${line}`);
    expect(res.stderr).toContain("telemetry.otlp.endpoint");
    const noSecret = f.write("no-secret.yaml", targetsText(collector.endpoint));
    const unset = await runCli(["run", exp, "--targets", noSecret], { env: { GAMEDAY_TEST_OTLP_TOKEN: "" } });
    expect(unset.code, unset.stdout + unset.stderr).toBe(2);
    const headerLine =
      targetsText(collector.endpoint)
        .split("\n")
        .findIndex((l) => l.includes("x-gameday-token")) + 1;
    expect(unset.stderr).toContain(`${noSecret}:${headerLine}`);
    expect(unset.stderr).toContain("telemetry.otlp.headers.x-gameday-token");
    // Nothing was injected: no run directory was made.
    expect(() => readdirSync(join(f.dir, "state", "runs"))).toThrow();
    expect((await fx.proxy("payments")).toxics).toEqual([]);
  });

  it("an unreachable collector: the run passes, one warning line, and its end waits only for the export timeout", async () => {
    const f = scratchFiles("gameday-otel-down-");
    const closed = await freePort(); // nothing listens there
    const exp = f.write("exp.yaml", experimentText("untraced"));
    const plain = f.write("plain.yaml", targetsText(undefined));
    const down = f.write("down.yaml", targetsText(`http://127.0.0.1:${closed}`));
    const timed = async (targets: string) => {
      const stateDir = join(f.dir, `state-${basename(targets)}`);
      const t0 = Date.now();
      const r = await runCli(["run", exp, "--targets", targets, "--state-dir", stateDir], { env: ENV });
      const exited = Date.now();
      const [runId] = readdirSync(join(stateDir, "runs"));
      const run = JSON.parse(readFileSync(join(stateDir, "runs", String(runId), "run.json"), "utf8"));
      // From the run's end (its verdict decided) to the process's exit: what the flush may add.
      return { ...r, ms: exited - t0, tailMs: exited - run.endedAt };
    };
    const base = await timed(plain);
    const res = await timed(down);
    expect(base.code, base.stdout + base.stderr).toBe(0);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const warnings = res.stderr.split("\n").filter((l) => l.includes("telemetry"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`could not export the run's trace to http://127.0.0.1:${closed}`);
    expect(warnings[0]).toContain("the run goes on");
    console.log(
      `wall time: ${base.ms} ms without telemetry (${base.tailMs} ms after the run's end), ${res.ms} ms with an unreachable collector (${res.tailMs} ms after the run's end)`,
    );
    // The run's end waits at most ~2 s for the export (the exporter's own timeout); the margin is
    // for a loaded machine. The whole invocation is only logged: its start-up noise is not ours.
    expect(res.tailMs - base.tailMs).toBeLessThan(4000);
  });
});
