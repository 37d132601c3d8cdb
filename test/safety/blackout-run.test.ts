import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrivateTarget, queueExperiment, startPrivateTarget } from "../queue/support/private-target.js";
import { spawnWorker, testPrefix, type WorkerProcess, waitUntil } from "../queue/support/queue-processes.js";
import { type PrivateRedis, startPrivateRedis } from "../queue/support/redis-server.js";
import { runCli } from "../support/cli.js";

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** The private target's targets file with these blackouts under t1 (YAML list items, indented 6). */
function withBlackouts(t: PrivateTarget, name: string, blackouts: string): string {
  const base = readFileSync(t.targets, "utf8");
  const file = join(t.dir, name);
  writeFileSync(file, base.replace(/^( {2}t1:\n)/m, `$1    blackouts:\n${blackouts}\n`));
  return file;
}

function faultJournalLines(stateDir: string): string[] {
  const runs = join(stateDir, "runs");
  if (!existsSync(runs)) return [];
  return readdirSync(runs).flatMap((id) =>
    readFileSync(join(runs, id, "journal.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.includes('"fault.')),
  );
}

describe("blackout windows: runs refuse, schedule ticks are skipped (real CLI, real Toxiproxy, real Redis)", () => {
  let t: PrivateTarget;
  let redis: PrivateRedis | undefined;
  let worker: WorkerProcess | undefined;
  beforeAll(async () => {
    t = await startPrivateTarget(["t1"]);
    t.write("exp.yaml", queueExperiment({ name: "in-blackout", faultFor: "5m" }));
  });
  afterAll(async () => {
    await worker?.kill("SIGTERM");
    await redis?.stop();
    await t?.stop();
  });

  it("inside a window: exit 4 naming the window and when it ends; nothing injected", async () => {
    const targets = withBlackouts(
      t,
      "inside.yaml",
      '      - { name: always, weekly: { days: [sun, mon, tue, wed, thu, fri, sat], from: "00:00", to: "24:00" }, timezone: Europe/Berlin }',
    );
    const res = await runCli([
      "run",
      join(t.dir, "exp.yaml"),
      "--targets",
      targets,
      "--state-dir",
      t.stateDir,
    ]);
    expect(res.code, res.stderr).toBe(4);
    const out = res.stdout + res.stderr;
    expect(out).toContain('target t1 is in blackout window "always"');
    expect(out).toMatch(/until \d{4}-\d\d-\d\d 00:00 Europe\/Berlin \(\d{4}-\d\d-\d\dT\d\d:00:00\.000Z\)/);
    expect(faultJournalLines(t.stateDir)).toEqual([]);
    expect(await t.leftovers()).toEqual([]);
  });

  it("a window that starts during the run's planned duration refuses it too", async () => {
    const start = Date.now() + 3 * 60_000;
    const targets = withBlackouts(
      t,
      "ahead.yaml",
      `      - { name: soon, weekly: { days: [sun, mon, tue, wed, thu, fri, sat], from: "${hhmm(start)}", to: "${hhmm(start + 60_000)}" } }`,
    );
    const res = await runCli([
      "run",
      join(t.dir, "exp.yaml"),
      "--targets",
      targets,
      "--state-dir",
      t.stateDir,
    ]);
    expect(res.code, res.stderr).toBe(4);
    expect(res.stdout + res.stderr).toMatch(/planned duration \(\S+\) would reach blackout window "soon"/);
    expect(faultJournalLines(t.stateDir)).toEqual([]);
    expect(await t.leftovers()).toEqual([]);
  });

  it("plan shows the safety checks and lists a blackout or a halt as the problems a run would meet (exit 4)", async () => {
    const exp = join(t.dir, "exp.yaml");
    const plain = await runCli(["plan", exp, "--targets", t.targets, "--state-dir", t.stateDir]);
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(plain.stdout).toContain("safety: halt switch");
    expect(plain.stdout).toContain("not in force");
    expect(plain.stdout).toContain("safety: blackout windows: none");
    const inside = withBlackouts(
      t,
      "plan-inside.yaml",
      '      - { name: always, weekly: { days: [sun, mon, tue, wed, thu, fri, sat], from: "00:00", to: "24:00" } }',
    );
    const blocked = await runCli(["plan", exp, "--targets", inside, "--state-dir", t.stateDir]);
    expect(blocked.code).toBe(4);
    expect(blocked.stdout).toContain('✗ refused: target t1 is in blackout window "always"');
    const halt = await runCli(["halt", "--reason", "plan test", "--state-dir", t.stateDir]);
    expect(halt.code, halt.stderr).toBe(0);
    try {
      const halted = await runCli(["plan", exp, "--targets", t.targets, "--state-dir", t.stateDir]);
      expect(halted.code).toBe(4);
      expect(halted.stdout).toContain("✗ refused: runs are halted");
      expect(halted.stdout).toContain("plan test");
    } finally {
      expect((await runCli(["resume", "--state-dir", t.stateDir])).code).toBe(0);
    }
    expect(faultJournalLines(t.stateDir)).toEqual([]);
    expect(await t.leftovers()).toEqual([]);
  });

  it("a schedule's tick inside a window is skipped and logged, never run", async () => {
    redis = await startPrivateRedis();
    const q = ["--redis", redis.url, "--prefix", testPrefix("blackout")];
    const targets = withBlackouts(
      t,
      "worker.yaml",
      '      - { name: freeze, from: "2020-01-01", to: "2099-01-01", timezone: America/New_York }',
    );
    const stateDir = join(t.dir, "worker-state");
    worker = await spawnWorker(["--targets", targets, "--state-dir", stateDir, ...q]);
    const add = await runCli([
      "schedule",
      "add",
      "often",
      join(t.dir, "exp.yaml"),
      "--cron",
      "* * * * * *",
      "--targets",
      targets,
      ...q,
    ]);
    expect(add.code, add.stderr).toBe(0);
    try {
      await waitUntil("a tick skipped for the blackout", async () =>
        worker?.log().includes('blackout window "freeze"'),
      );
      const runs = await runCli(["runs", ...q, "--json"]);
      const records = JSON.parse(runs.stdout) as { status: string; reason?: string }[];
      expect(records.length).toBeGreaterThan(0);
      for (const r of records) {
        expect(r.status).toBe("skipped");
        expect(r.reason).toContain('blackout window "freeze"');
      }
    } finally {
      expect((await runCli(["schedule", "remove", "often", ...q])).code).toBe(0);
    }
    expect(existsSync(join(stateDir, "runs"))).toBe(false);
    expect(await t.leftovers()).toEqual([]);
  });
});
