import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { experimentSchema } from "../../src/experiment/schema.js";
import { InjectorRegistry } from "../../src/faults/injector-registry.js";
import type { RunLock } from "../../src/interfaces/run-lock.js";
import { runExperiment } from "../../src/run/experiment-runner.js";
import { targetSchema } from "../../src/targets/targets-schema.js";
import { FakeInjector, FakeTarget } from "../faults/fake-injector.js";

let server: Server;
let url = "";
beforeAll(async () => {
  server = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const INSTALL = "itest";

function experiment(opts: { faults?: number; forMs?: number; expectStatus?: number } = {}) {
  const faults = Array.from({ length: opts.faults ?? 1 }, (_, i) => ({
    name: `f${i + 1}`,
    at: `${i * 100}ms`,
    for: `${opts.forMs ?? 400}ms`,
    toxiproxy: { proxy: `p${i + 1}`, toxic: "latency", latency: "10ms" },
  }));
  return experimentSchema.parse({
    apiVersion: "gameday/v1",
    kind: "Experiment",
    metadata: { name: "fake" },
    spec: {
      target: "fake",
      sampleInterval: "50ms",
      faults,
      expect:
        opts.expectStatus === undefined
          ? []
          : [{ name: "status", http: { url }, equals: opts.expectStatus, during: "f1" }],
      recovery: { within: "100ms" },
    },
  });
}

function setup(target = new FakeTarget()) {
  const injectors = new InjectorRegistry();
  injectors.register(new FakeInjector(target));
  const stateDir = mkdtempSync(join(tmpdir(), "gameday-fake-"));
  return { target, injectors, stateDir };
}

async function run(
  s: ReturnType<typeof setup>,
  exp = experiment(),
  extra: { signal?: AbortSignal; lock?: RunLock; runId?: string } = {},
) {
  return runExperiment({
    file: "fake.yaml",
    experiment: exp,
    targetName: "fake",
    target: targetSchema.parse({}),
    stateDir: s.stateDir,
    injectors: s.injectors,
    installation: INSTALL,
    ...extra,
  });
}

/** Calls `fn` once the fake target holds `tag` (the fault is injected), polling every 10 ms. */
function once(target: FakeTarget, tag: string, fn: () => void): void {
  const timer = setInterval(() => {
    if (!target.faults.has(tag)) return;
    clearInterval(timer);
    setTimeout(fn, 60); // at least one in-place check passes first
  }, 10);
}

const journalTypes = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).type as string);

describe("the lifecycle with a fake injector (in-process, milliseconds)", () => {
  it("passes, tags the fault with the installation, and leaves nothing behind", async () => {
    const s = setup();
    const r = await run(s, experiment({ expectStatus: 200 }));
    expect(r.exitCode, r.reason).toBe(0);
    expect(s.target.log[0]).toBe(`inject gameday@${INSTALL}.${r.runId}.f1`);
    expect(s.target.tags()).toEqual([]);
    const types = journalTypes(r.journalPath);
    expect(types.indexOf("fault.injecting")).toBeLessThan(types.indexOf("fault.injected"));
    expect(types.indexOf("fault.reverting")).toBeLessThan(types.indexOf("fault.reverted"));
  });

  it("rolls back in finally when an injection throws mid-method (exit 5)", async () => {
    const s = setup();
    s.target.failInject.add("f2");
    const r = await run(s, experiment({ faults: 2, forMs: 1000 }));
    expect(r.exitCode).toBe(5);
    expect(r.reason).toContain("fake inject of f2 failed");
    expect(s.target.tags()).toEqual([]);
    expect(s.target.log.filter((l) => l.startsWith("revert"))).toHaveLength(1);
  });

  it("a signal stops the method, rolls back, and ends aborted (exit 3)", async () => {
    const s = setup();
    const controller = new AbortController();
    once(s.target, `gameday@${INSTALL}.r-signal.f1`, () => controller.abort("signal SIGINT"));
    const r = await run(s, experiment({ forMs: 5000 }), { signal: controller.signal, runId: "r-signal" });
    expect(r.exitCode).toBe(3);
    expect(r.reason).toContain("SIGINT");
    expect(s.target.log).toEqual([
      `inject gameday@${INSTALL}.r-signal.f1`,
      `revert gameday@${INSTALL}.r-signal.f1`,
    ]);
    expect(s.target.tags()).toEqual([]);
  });

  it("an unverified rollback outranks an abort (exit 5, says what may remain)", async () => {
    const s = setup();
    const controller = new AbortController();
    const exp = experiment({ forMs: 5000 });
    const runId = "r-unverified";
    s.target.failRevert.add(`gameday@${INSTALL}.${runId}.f1`);
    once(s.target, `gameday@${INSTALL}.${runId}.f1`, () => controller.abort("signal SIGTERM"));
    const r = await run(s, exp, { signal: controller.signal, runId });
    expect(r.exitCode).toBe(5);
    expect(r.reason).toMatch(/^ROLLBACK NOT VERIFIED/);
    expect(r.remaining.join(" ")).toContain(`gameday@${INSTALL}.${runId}.f1`);
  });

  it("a fault removed by someone else ends the run as an error (exit 5), never a failed expectation", async () => {
    const s = setup();
    const runId = "r-tampered";
    const tag = `gameday@${INSTALL}.${runId}.f1`;
    once(s.target, tag, () => s.target.tamper(tag, "remove"));
    // The expectation would fail (the server answers 200): the tampering must win, not the expectation.
    const r = await run(s, experiment({ forMs: 2000, expectStatus: 500 }), { runId });
    expect(r.exitCode).toBe(5);
    expect(r.verdict).toBe("error");
    expect(r.reason).toContain('fault "f1" is no longer in place');
    expect(r.reason).toContain("removed");
    expect(r.expectations).toEqual([]);
    expect(journalTypes(r.journalPath)).toContain("fault.changed");
    expect(s.target.tags()).toEqual([]);
  });

  it("a fault changed by someone else is an error too", async () => {
    const s = setup();
    const runId = "r-changed";
    const tag = `gameday@${INSTALL}.${runId}.f1`;
    once(s.target, tag, () => s.target.tamper(tag, "change"));
    const r = await run(s, experiment({ forMs: 2000 }), { runId });
    expect(r.exitCode).toBe(5);
    expect(r.reason).toContain("changed to changed");
  });

  it("preflight refuses (exit 4) a target carrying another run's fault, naming it and the recover command", async () => {
    const s = setup();
    s.target.faults.set(`gameday@${INSTALL}.20260101t000000-dead01.f1`, { fault: "f1", value: "p1" });
    const r = await run(s);
    expect(r.exitCode).toBe(4);
    expect(r.reason).toContain("run 20260101t000000-dead01");
    expect(r.reason).toContain("gameday recover --target fake --run 20260101t000000-dead01");
    expect(s.target.log.filter((l) => l.startsWith("inject"))).toEqual([]);
  });

  it("a leftover of another installation is refused too, naming that installation", async () => {
    const s = setup();
    s.target.faults.set("gameday@other.r9.f1", { fault: "f1", value: "p1" });
    const r = await run(s);
    expect(r.exitCode).toBe(4);
    expect(r.reason).toContain("installation other");
    expect(s.target.tags()).toEqual(["gameday@other.r9.f1"]); // untouched
  });

  it("a legacy tag (no installation id) is recognised as a leftover", async () => {
    const s = setup();
    s.target.faults.set("gameday.oldrun.f1", { fault: "f1", value: "p1" });
    const r = await run(s);
    expect(r.exitCode).toBe(4);
    expect(r.reason).toContain("run oldrun");
  });

  it("the lock's fence is checked before every injection: a lost lease injects nothing (exit 5)", async () => {
    const s = setup();
    const lock: RunLock = {
      acquire: () => {},
      release: () => {},
      fence: async () => {
        throw new Error("lease lost: reaped by a janitor");
      },
    };
    const r = await run(s, experiment(), { lock });
    expect(r.exitCode).toBe(5);
    expect(r.reason).toContain("lease lost");
    expect(s.target.log).toEqual([]);
  });

  it("the rollback sweep finds a fault whose inject answer was lost, by its owner tag", async () => {
    const target = new FakeTarget();
    const s = setup(target);
    const runId = "r-lost";
    // An injector whose inject applies the fault but loses the answer.
    const lossy = new FakeInjector(target);
    lossy.inject = async (fault, ctx) => {
      await FakeInjector.prototype.inject.call(lossy, fault, ctx);
      throw new Error("connection reset after the write");
    };
    s.injectors.register(lossy);
    const r = await run(s, experiment(), { runId });
    expect(r.exitCode).toBe(5);
    expect(target.tags()).toEqual([]);
    expect(journalTypes(r.journalPath)).toContain("fault.reverted");
  });

  it("lock files are named by a hash of the endpoint: a target name with ../ stays in the locks folder", async () => {
    const s = setup();
    const r = await runExperiment({
      file: "fake.yaml",
      experiment: experiment(),
      targetName: "../../escape",
      target: targetSchema.parse({}),
      stateDir: s.stateDir,
      injectors: s.injectors,
      installation: INSTALL,
    });
    expect(r.exitCode, r.reason).toBe(0);
    expect(readdirSync(join(s.stateDir, ".."))).not.toContain("escape.lock");
    expect(readdirSync(s.stateDir)).not.toContain("escape.lock");
  });
});
