import { afterEach, describe, expect, it } from "vitest";
import type { SpanTree } from "../../src/interfaces/trace-sink.js";
import { clearSecrets, registerSecret } from "../../src/redact/redact.js";
import { runSpanTree } from "../../src/report/trace/run-span-tree.js";
import { type JournalEvent, journalEventSchema } from "../../src/run/journal-schema.js";
import type { RunResult } from "../../src/run/run-result.js";

/** The span tree of runs that went wrong, from their journal events alone (no SDK, no receiver). */
const T0 = Date.UTC(2026, 11, 2, 1, 0, 0);
const at = (s: number) => T0 + s * 1000;
const SECRET = "hunter2-secret-value";

function events(raw: { t: number; type: string; data?: Record<string, unknown> }[]): JournalEvent[] {
  return raw.map((e) => journalEventSchema.parse({ runId: "r1", data: {}, ...e }));
}

function result(over: Partial<RunResult>): RunResult {
  return {
    runId: "r1",
    experiment: "x",
    file: "x.yaml",
    target: "t",
    verdict: "error",
    exitCode: 5,
    reason: "rollback could not be verified",
    startedAt: at(0),
    endedAt: at(10),
    plans: [{ fault: "slow", family: "toxiproxy", action: "latency", targets: ["payments"] }],
    steadyStateBefore: [],
    expectations: [],
    recovery: [],
    timeline: { faults: {} },
    remaining: ["gameday@i.r1.slow on payments"],
    artifactsDir: "/tmp/x",
    journalPath: "/tmp/x/journal.jsonl",
    ...over,
  } as RunResult;
}

const find = (t: SpanTree, name: string): SpanTree | undefined =>
  t.name === name ? t : t.children.map((c) => find(c, name)).find(Boolean);

afterEach(() => clearSecrets());

describe("a run's span tree", () => {
  it("a revert that could not be verified: the fault span is an error and stays open to the run's end", () => {
    registerSecret(SECRET);
    const tree = runSpanTree(
      events([
        { t: at(0), type: "run.started", data: { experiment: "x" } },
        { t: at(0.1), type: "phase", data: { phase: "preflight" } },
        { t: at(1), type: "phase", data: { phase: "method" } },
        {
          t: at(1.1),
          type: "fault.injecting",
          data: {
            fault: "slow",
            family: "toxiproxy",
            spec: { at: 0, for: 5000, toxiproxy: { proxy: "payments", latency: 800 } },
          },
        },
        { t: at(1.2), type: "fault.injected", data: { fault: "slow", ownerTag: "gameday@i.r1.slow" } },
        { t: at(2), type: "signal", data: { signal: "SIGINT" } },
        { t: at(2.1), type: "phase", data: { phase: "rollback" } },
        { t: at(2.2), type: "fault.reverting", data: { fault: "slow" } },
        {
          t: at(3),
          type: "fault.revert-failed",
          data: { fault: "slow", error: `refused with token ${SECRET}` },
        },
        { t: at(4), type: "error", data: { message: `toxiproxy said ${SECRET}`, code: "E_ROLLBACK" } },
        { t: at(9), type: "phase", data: { phase: "done" } },
      ]),
      result({}),
    );
    expect(tree.status).toBe("error");
    expect(tree.attributes).toMatchObject({
      "gameday.verdict": "error",
      "gameday.exit_code": 5,
      "gameday.remaining": ["gameday@i.r1.slow on payments"],
    });
    expect(tree.events.map((e) => e.name)).toEqual(["signal", "error"]);
    const method = find(tree, "gameday.method");
    const fault = method?.children.find((c) => c.name === "gameday.fault slow");
    expect(fault?.status).toBe("error");
    expect(fault?.attributes).toMatchObject({
      "gameday.fault.reverted": false,
      "gameday.fault.attribute.latency": 800,
    });
    expect(fault?.end).toBe(at(10));
    // The phases end where the next begins; "done" has no span.
    expect(find(tree, "gameday.rollback")).toMatchObject({ start: at(2.1), end: at(9) });
    expect(find(tree, "gameday.done")).toBeUndefined();
    expect(JSON.stringify(tree)).not.toContain(SECRET);
  });

  it("a sweep's revert (an owner tag, no fault of this run) is an event of its phase, never a fault span", () => {
    const tree = runSpanTree(
      events([
        { t: at(0.1), type: "phase", data: { phase: "rollback" } },
        { t: at(0.2), type: "fault.reverted", data: { ownerTag: "gameday@i.old.f", sweep: true } },
      ]),
      result({ verdict: "passed", exitCode: 0, remaining: [] }),
    );
    const rollback = find(tree, "gameday.rollback");
    expect(rollback?.children).toEqual([]);
    expect(rollback?.events).toMatchObject([
      { name: "fault.reverted", attributes: { "gameday.sweep": true } },
    ]);
    expect(tree.status).toBe("ok");
  });
});
