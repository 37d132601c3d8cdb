import { createHmac } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { webhookBodySchema } from "../../src/report/notify/notify-event.js";
import { lines } from "../experiment/issues-of.js";
import { runCli } from "../support/cli.js";
import { closedPort, startReceiver } from "../support/http-receiver.js";

// A real `gameday run` of a game day with notifiers, and nothing else running: its target's
// Toxiproxy is a closed port on 127.0.0.1, so preflight refuses (exit 4, nothing touched) and the
// run still tells its receivers that it started and how it ended. The receiver is the test's own.
const HMAC = "cli-hmac-key-4242";
const SLACK_TOKEN = "cliSlackTokenZZ9";

describe("gameday run with a target's notifiers", async () => {
  const dir = await mkdtemp(join(tmpdir(), "gameday-notify-cli-"));
  const rx = await startReceiver();
  const down = await closedPort();
  const toxiproxy = await closedPort();
  afterAll(async () => {
    await rx.close();
    await rm(dir, { recursive: true, force: true });
  });
  const env = {
    REDIS_URL: "",
    GAMEDAY_TARGETS: "",
    GD_HMAC: HMAC,
    GD_SLACK_URL: `${rx.url}/services/T0/B0/${SLACK_TOKEN}`,
  };
  await writeFile(
    join(dir, "targets.yaml"),
    lines(
      "apiVersion: gameday/v1",
      "kind: Targets",
      "targets:",
      "  t:",
      `    toxiproxy: { url: "http://127.0.0.1:${toxiproxy}", proxies: [p] }`,
      "    notify:",
      `      ops: { format: webhook, url: "${rx.url}/hook", secret: { env: GD_HMAC } }`,
      `      down: { format: webhook, url: "http://127.0.0.1:${down}/hook" }`,
      "      team: { format: slack, url: { env: GD_SLACK_URL } }",
    ),
  );
  await writeFile(
    join(dir, "e.yaml"),
    lines(
      "apiVersion: gameday/v1",
      "kind: Experiment",
      "metadata: { name: e }",
      "spec:",
      "  target: t",
      "  faults: [{ name: f, at: 0s, for: 1s, toxiproxy: { proxy: p, toxic: timeout } }]",
    ),
  );
  const gameDay = (name: string, notify: string) =>
    lines(
      "apiVersion: gameday/v1",
      "kind: GameDay",
      `metadata: { name: ${name} }`,
      "spec:",
      "  experiments: [e.yaml]",
      `  notify: ${notify}`,
    );
  await writeFile(join(dir, "d.yaml"), gameDay("d", "[ops, down]"));
  await writeFile(join(dir, "typo.yaml"), gameDay("typo", "[ops, tema]"));
  const run = (file: string, more: Record<string, string> = {}) =>
    runCli(
      ["run", join(dir, file), "--targets", join(dir, "targets.yaml"), "--state-dir", join(dir, "state")],
      {
        env: { ...env, ...more },
        timeoutMs: 60_000,
      },
    );

  it("the run's own verdict and exit code; the selected receivers told; the unreachable one said once", async () => {
    const t = Date.now();
    const res = await run("d.yaml");
    expect(res.code).toBe(4);
    expect(Date.now() - t).toBeLessThan(20_000);
    // Only the game day's selection: ops here (team is configured but not selected), down unreachable.
    expect(rx.received.every((r) => r.path === "/hook")).toBe(true);
    const bodies = rx.received.map((r) => webhookBodySchema.parse(JSON.parse(r.body)));
    expect(bodies.map((b) => b.event)).toEqual(["run.started", "verdict"]);
    expect(bodies[0]).toMatchObject({ experiment: "e", target: "t", gameDay: "d" });
    expect(bodies[1]?.data).toMatchObject({ verdict: "not-run", exitCode: 4 });
    for (const r of rx.received)
      expect(r.headers["x-gameday-signature"]).toBe(
        `sha256=${createHmac("sha256", HMAC).update(r.body).digest("hex")}`,
      );
    const notices = res.stderr.split("\n").filter((l) => l.startsWith("notify "));
    expect(notices).toEqual([
      expect.stringMatching(
        new RegExp(`^notify down: cannot deliver to http://127\\.0\\.0\\.1:${down}: .*ECONNREFUSED`),
      ),
    ]);
    // Nothing printed, journaled or reported carries a secret.
    const runs = join(dir, "state", "runs");
    const [id] = await readdir(runs);
    const artifacts = await Promise.all(
      (await readdir(join(runs, id as string))).map((f) => readFile(join(runs, id as string, f), "utf8")),
    );
    expect(JSON.parse(await readFile(join(runs, id as string, "run.json"), "utf8")).reason).toBe(
      bodies[1]?.data.reason,
    );
    for (const text of [res.stdout, res.stderr, ...artifacts]) {
      expect(text).not.toContain(HMAC);
      expect(text).not.toContain(SLACK_TOKEN);
    }
  });

  it("a notifier name the targets do not configure: exit 2 at the game day's line, nothing run", async () => {
    const before = rx.received.length;
    const res = await run("typo.yaml");
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${join(dir, "typo.yaml")}:6:`);
    expect(res.stderr).toContain('unknown notifier "tema"');
    expect(res.stderr).toContain('did you mean "team"?');
    expect(rx.received.length).toBe(before);
  });

  it("a secret that is not there: exit 2 naming the targets file and the field, nothing run", async () => {
    const res = await run("d.yaml", { GD_HMAC: "" });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(join(dir, "targets.yaml"));
    expect(res.stderr).toContain("targets.t.notify.ops.secret");
  });

  it("a worker whose notifier secret is not there: exit 2 at its start, before it reaches Redis", async () => {
    // Its Redis is a closed port on 127.0.0.1: a worker that got that far would retry, not exit 2.
    const redis = await closedPort();
    const res = await runCli(
      [
        "worker",
        "--targets",
        join(dir, "targets.yaml"),
        "--state-dir",
        join(dir, "worker-state"),
        "--redis",
        `redis://127.0.0.1:${redis}`,
      ],
      { env: { ...env, GD_HMAC: "" }, timeoutMs: 15_000 },
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${join(dir, "targets.yaml")}: targets.t.notify.ops.secret:`);
    expect(res.stderr).not.toContain("ready");
  });

  it("gameday plan: the same exit 2 for an unknown name, and each run's notifiers by name and format", async () => {
    const plan = (file: string) =>
      runCli(["plan", join(dir, file), "--targets", join(dir, "targets.yaml")], { env, timeoutMs: 60_000 });
    const typo = await plan("typo.yaml");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`${join(dir, "typo.yaml")}:6:`);
    expect(typo.stderr).toContain('unknown notifier "tema"');
    const before = rx.received.length;
    const res = await plan("d.yaml");
    expect(res.stdout).toContain("  notify: ops (webhook), down (webhook)\n");
    expect(res.stdout).not.toContain("/hook");
    expect(res.stdout).not.toContain(SLACK_TOKEN);
    expect(rx.received.length).toBe(before);
  });
});
