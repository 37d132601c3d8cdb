import { describe, expect, it } from "vitest";
import type { ExpectationResult } from "../../src/interfaces/expectation.js";
import { buildMatrix, matrixRows, mutantOutcome } from "../../src/prove/kill-matrix.js";
import { renderMatrixMarkdown } from "../../src/prove/reporters/markdown-matrix-reporter.js";
import type { RunResult } from "../../src/run/run-result.js";

const exp = (name: string, status: ExpectationResult["status"]): ExpectationResult => ({
  name,
  semantics: "always",
  status,
  summary: status,
  samples: [],
});

function run(
  experiment: string,
  verdict: RunResult["verdict"],
  expectations: ExpectationResult[],
  over: Partial<RunResult> = {},
): RunResult {
  const exitCode = { passed: 0, failed: 1, aborted: 3, "not-run": 4, error: 5 }[
    verdict
  ] as RunResult["exitCode"];
  return {
    runId: `${experiment}-${Math.random()}`,
    experiment,
    file: `${experiment}.yaml`,
    target: "sandbox",
    verdict,
    exitCode,
    reason: verdict,
    startedAt: 0,
    endedAt: 1,
    plans: [],
    steadyStateBefore: [{ name: "ok", ok: true, summary: "" } as RunResult["steadyStateBefore"][number]],
    expectations,
    recovery:
      verdict === "passed" ? [{ name: "ok", ok: true, summary: "" } as RunResult["recovery"][number]] : [],
    timeline: { faults: {} },
    remaining: [],
    artifactsDir: "",
    journalPath: "",
    ...over,
  };
}

const healthy = [
  run("a", "passed", [exp("opens", "passed"), exp("serves", "passed")]),
  run("b", "passed", [exp("bounded", "passed")]),
];
const rows = matrixRows(healthy);
const base = {
  gameDay: "g",
  file: "g.yaml",
  proveId: "p",
  fullMatrix: false,
  healthy,
  healthyMs: 1,
  interrupted: false,
  startedAt: 0,
};

describe("kill matrix", () => {
  it("has steady state, every expectation and recovery as rows, in run order", () => {
    expect(rows.map((r) => r.id)).toEqual([
      "a / steady state before",
      "a / opens",
      "a / serves",
      "a / abort conditions",
      "a / recovery",
      "b / steady state before",
      "b / bounded",
      "b / abort conditions",
      "b / recovery",
    ]);
  });

  it("a run stopped at its first failure decides only its killers; later experiments are not-run", () => {
    const o = mutantOutcome(
      { name: "no-breaker" },
      rows,
      [
        {
          result: run("a", "aborted", [exp("opens", "failed"), exp("serves", "failed")]),
          stoppedAfter: ["opens"],
        },
      ],
      10,
    );
    expect(o.status).toBe("killed");
    expect(o.killedBy).toEqual(["a / opens"]);
    expect(o.cells["a / serves"]).toBe("not-run"); // failed only because finish() closed a cut window
    expect(o.cells["b / bounded"]).toBe("not-run");
  });

  it("scores, names survivors and vacuous checks, and exits 1 while a mutant survives", () => {
    const killed = mutantOutcome(
      { name: "k" },
      rows,
      [
        { result: run("a", "failed", [exp("opens", "failed"), exp("serves", "passed")]) },
        { result: healthy[1] as RunResult },
      ],
      1,
    );
    const survived = mutantOutcome(
      { name: "s" },
      rows,
      healthy.map((result) => ({ result })),
      1,
    );
    const m = buildMatrix({ ...base, mutants: [killed, survived] });
    expect(m.score).toEqual({ killed: 1, total: 2, ratio: 0.5 });
    expect(m.survivors).toEqual(["s"]);
    expect(m.vacuous).toContain("b / bounded");
    expect(m.vacuous).not.toContain("a / opens");
    expect(m.exitCode).toBe(1);
    const md = renderMatrixMarkdown(m);
    expect(md).toContain("| a / opens | KILLED | held |");
    expect(md).toContain("SURVIVED: s");
  });

  it("exits 0 only when the healthy run passed and every mutant is killed", () => {
    const k = mutantOutcome(
      { name: "k" },
      rows,
      [
        {
          result: run("a", "not-run", [], {
            steadyStateBefore: [{ name: "x", ok: false, summary: "" } as never],
          }),
        },
      ],
      1,
    );
    expect(k.killedBy).toEqual(["a / steady state before"]);
    expect(buildMatrix({ ...base, mutants: [k] }).exitCode).toBe(0);
    const failedHealthy = [run("a", "failed", [exp("opens", "failed")]), ...healthy.slice(1)];
    expect(buildMatrix({ ...base, healthy: failedHealthy, mutants: [] }).exitCode).toBe(1);
    expect(buildMatrix({ ...base, healthy: [run("a", "not-run", [])], mutants: [] }).exitCode).toBe(4);
    expect(buildMatrix({ ...base, mutants: [k], interrupted: true }).exitCode).toBe(3);
  });

  it("an abort condition tripping kills; a run not run for another reason (preflight, a held lock) is an error", () => {
    const aborted = mutantOutcome(
      { name: "a" },
      rows,
      [
        {
          result: run("a", "aborted", [exp("opens", "passed")], {
            reason: "aborted by condition: checkout collapsing",
          }),
        },
      ],
      1,
    );
    expect(aborted.status).toBe("killed");
    expect(aborted.killedBy).toEqual(["a / abort conditions"]);
    const locked = mutantOutcome(
      { name: "l" },
      rows,
      [{ result: run("a", "not-run", [], { steadyStateBefore: [], reason: "target locked" }) }],
      1,
    );
    expect(locked.status).toBe("error");
  });

  it("an infrastructure error or an unverified revert is an error (exit 5), never a kill", () => {
    const broken = mutantOutcome(
      { name: "e" },
      rows,
      [{ result: run("a", "error", [], { remaining: ["toxic x"] }) }],
      1,
    );
    expect(broken.status).toBe("error");
    const reverted = mutantOutcome(
      { name: "r" },
      rows,
      [{ result: run("a", "failed", [exp("opens", "failed")]) }],
      1,
      "NOT VERIFIED REVERTED",
    );
    expect(reverted.status).toBe("error");
    expect(buildMatrix({ ...base, mutants: [broken] }).exitCode).toBe(5);
  });
});
