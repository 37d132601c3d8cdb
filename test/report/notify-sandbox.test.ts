import { createHmac } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookBodySchema } from "../../src/report/notify/notify-event.js";
import type { RunResult } from "../../src/run/run-result.js";
import { loadTargets } from "../../src/targets/targets-loader.js";
import { REPO, runCli } from "../support/cli.js";
import { closedPort, startReceiver } from "../support/http-receiver.js";
import { ensureSandbox } from "../support/sandbox.js";

// A real run against the sandbox with the sandbox target's notifiers aimed at this test's own
// receiver (and one at a closed port): every event of the run arrives signed, the Grafana
// annotation spans the fault's window as run.json records it, the unreachable receiver is one
// line, and the run's verdict is its own.
const HMAC = "sandbox-hmac-key-31";
const TOKEN = "glsa_sandbox_token_77";

describe("notifications from a real run against the sandbox", () => {
  let dir: string;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let down: number;

  beforeAll(async () => {
    await ensureSandbox();
    dir = await mkdtemp(join(tmpdir(), "gameday-notify-sandbox-"));
    rx = await startReceiver();
    down = await closedPort();
    const { targets } = await loadTargets(join(REPO, "targets.yaml"));
    const sandbox = targets.targets.sandbox;
    // JSON is YAML: the sandbox target as the repo's targets file has it, plus notifiers.
    const file = {
      apiVersion: "gameday/v1",
      kind: "Targets",
      targets: {
        sandbox: {
          ...sandbox,
          notify: {
            ops: { format: "webhook", url: `${rx.url}/hook`, secret: { env: "GD_HMAC" } },
            grafana: {
              format: "grafana",
              url: `${rx.url}/grafana`,
              token: { env: "GD_GRAFANA" },
              tags: ["ci"],
            },
            down: { format: "webhook", url: `http://127.0.0.1:${down}/hook` },
          },
        },
      },
    };
    await writeFile(join(dir, "targets.yaml"), JSON.stringify(file, null, 2));
  });
  afterAll(async () => {
    await rx?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("payments-latency: signed events, one annotation per fault window, one line for the unreachable receiver", async () => {
    const res = await runCli(
      [
        "run",
        "experiments/payments-latency.yaml",
        "--targets",
        join(dir, "targets.yaml"),
        "--state-dir",
        join(dir, "state"),
        "--json",
        join(dir, "gameday.json"),
      ],
      { env: { REDIS_URL: "", GD_HMAC: HMAC, GD_GRAFANA: TOKEN } },
    );
    expect(res.code, res.stderr).toBe(0);
    const hooks = rx.received.filter((r) => r.path === "/hook");
    for (const r of hooks)
      expect(r.headers["x-gameday-signature"]).toBe(
        `sha256=${createHmac("sha256", HMAC).update(r.body).digest("hex")}`,
      );
    const events = hooks.map((r) => webhookBodySchema.parse(JSON.parse(r.body)));
    expect(events.map((e) => e.event)).toEqual([
      "run.started",
      "fault.injected",
      "fault.reverted",
      "verdict",
    ]);
    expect(events[3]?.data).toMatchObject({ verdict: "passed", exitCode: 0 });
    const result = (JSON.parse(await readFile(join(dir, "gameday.json"), "utf8")) as { runs: RunResult[] })
      .runs[0];
    const window = result?.timeline.faults["slow-payments"];
    const annotations = rx.received.filter((r) => r.path === "/grafana/api/annotations");
    expect(annotations).toHaveLength(1);
    expect(annotations[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const a = JSON.parse(annotations[0]?.body ?? "{}");
    expect(Math.abs(a.time - (window?.start ?? 0))).toBeLessThan(100);
    expect(Math.abs(a.timeEnd - (window?.end ?? 0))).toBeLessThan(100);
    expect(a.tags).toEqual([
      "gameday",
      "experiment:payments-latency-opens-breaker",
      "fault:slow-payments",
      "ci",
    ]);
    const notices = res.stderr.split("\n").filter((l) => l.startsWith("notify "));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`notify down: cannot deliver to http://127.0.0.1:${down}`);
    const journal = await readFile(result?.journalPath ?? "", "utf8");
    for (const text of [res.stdout, res.stderr, journal, await readFile(join(dir, "gameday.json"), "utf8")]) {
      expect(text).not.toContain(HMAC);
      expect(text).not.toContain(TOKEN);
    }
  });
});
