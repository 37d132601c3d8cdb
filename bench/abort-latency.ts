import { gameday, shown } from "./support/cli.js";
import { assertClean, type BenchContext } from "./support/context.js";
import { experimentYaml } from "./support/experiment-yaml.js";
import type { Section } from "./support/report.js";
import { readRun } from "./support/run-artifacts.js";
import { median } from "./support/stats.js";

const SAMPLE_MS = 500;
const RATE = 50;

interface AbortRun {
  exitCode: number | null;
  wallMs: number;
  /** abort event -> last fault.reverted: rollback alone. */
  abortToReverted: number;
  /** fault.injected -> last fault.reverted: detection plus rollback. */
  injectedToReverted: number;
  /** fault.injected -> abort event: how long detection took. */
  injectedToAbort: number;
}

/**
 * Section 2: an outage under load with an immediate abort condition; how fast does the runner notice
 * and put everything back? Read from the run's own journal.
 */
export async function benchAbortLatency(ctx: BenchContext): Promise<Section> {
  const runs = ctx.quick ? 3 : 5;
  const file = ctx.ws.write(
    "abort-outage.yaml",
    experimentYaml({
      name: "bench-abort-outage",
      sampleInterval: `${SAMPLE_MS}ms`,
      rate: RATE,
      toxiproxy: `{ proxy: ${ctx.stack.proxyName}, toxic: outage }`,
      at: "0s",
      for: "30s",
      abortWhen: ["{ source: load, metric: errorRatio, above: 0.5, for: 0s }"],
    }),
  );
  const results: AbortRun[] = [];
  const problems: string[] = [];
  let command = "";
  for (let i = 0; i < runs; i++) {
    const state = ctx.ws.stateDir("abort");
    const args = ["run", file, "--targets", ctx.ws.targets, "--state-dir", state];
    command = shown("node", ["dist/src/cli/main.js", ...args]);
    ctx.log(`abort latency: run ${i + 1}/${runs}`);
    const res = await gameday(args, { timeoutMs: 60_000 });
    await assertClean(ctx, `abort run ${i + 1}`);
    if (res.code !== 3)
      problems.push(`run ${i + 1} exited ${res.code} (expected 3): ${res.stderr.trim().slice(-300)}`);
    const { journal } = readRun(state);
    const at = (type: string) => journal.find((e) => e.type === type)?.t;
    const injected = at("fault.injected");
    const abort = at("abort");
    const reverted = journal.findLast((e) => e.type === "fault.reverted")?.t;
    if (injected === undefined || abort === undefined || reverted === undefined) {
      problems.push(`run ${i + 1}: journal lacks fault.injected, abort or fault.reverted`);
      continue;
    }
    results.push({
      exitCode: res.code,
      wallMs: res.wallMs,
      abortToReverted: reverted - abort,
      injectedToReverted: reverted - injected,
      injectedToAbort: abort - injected,
    });
  }
  const m = (k: keyof AbortRun) => median(results.map((r) => r[k] as number));
  const target = 1000 + SAMPLE_MS;
  return {
    id: "2",
    title: `Abort condition -> every fault reverted (outage under ${RATE} rps, sampleInterval ${SAMPLE_MS}ms), median of ${runs}`,
    commands: [command],
    metrics: [
      { name: "abort event -> last fault.reverted", value: m("abortToReverted"), unit: "ms", below: target },
      {
        name: "fault.injected -> last fault.reverted (incl. detection)",
        value: m("injectedToReverted"),
        unit: "ms",
        below: target,
      },
      { name: "fault.injected -> abort event (detection)", value: m("injectedToAbort"), unit: "ms" },
      {
        name: `runs that exited 3 (of ${runs})`,
        value: results.filter((r) => r.exitCode === 3).length,
        unit: "",
      },
    ],
    notes: [
      "abortWhen: { source: load, metric: errorRatio, above: 0.5, for: 0s }; fault: outage at 0s for 30s; no steadyState (baseline = one sampleInterval)",
      `abort conditions read the load's errorRatio from the method's start (trailing 5 s), so it jumps to ~1 with the first refused request, at most ${1000 / RATE} ms after the injection: fault.injected -> reverted is an upper bound of condition true -> reverted`,
      `per run (abort->reverted ms): ${results.map((r) => r.abortToReverted).join(", ")}; (injected->reverted ms): ${results.map((r) => r.injectedToReverted).join(", ")}`,
      ...problems,
    ],
    raw: { runs: results, problems },
  };
}
