import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { layoutPorts, shiftTarget } from "../src/prove/isolated-sandbox.js";
import { loadProvePlan } from "../src/prove/prove-plan.js";
import { defaultPorts } from "../src/sandbox/sandbox-layout.js";
import { sandboxDown, sandboxUp } from "../src/sandbox/sandbox-stack.js";
import { loadTargets } from "../src/targets/targets-loader.js";
import { gameday, shown } from "./support/cli.js";
import type { BenchContext } from "./support/context.js";
import { sampleProc } from "./support/proc-sampler.js";
import type { Section } from "./support/report.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const GAMEDAY = join(REPO, "gamedays/demo.yaml");
/** The bench's own sandbox: its own state dir and ports (offset 500), never the shared one. */
const OFFSET = Number(process.env.GAMEDAY_BENCH_SANDBOX_OFFSET ?? 500);
/** As `npm run demo -- --prove` runs it: two mutants at a time unless GAMEDAY_PROVE_PARALLEL says otherwise. */
const PARALLEL = Number(process.env.GAMEDAY_PROVE_PARALLEL ?? 2);

/** targets.yaml's sandbox target moved onto the bench sandbox's ports. */
async function benchTargets(file: string): Promise<void> {
  const loaded = await loadTargets(join(REPO, "targets.yaml"));
  const sandbox = loaded.targets.targets.sandbox;
  if (!sandbox) throw new Error("targets.yaml has no sandbox target");
  const shifted = shiftTarget(sandbox, layoutPorts(defaultPorts(0)), OFFSET);
  writeFileSync(
    file,
    stringify({ apiVersion: "gameday/v1", kind: "Targets", targets: { sandbox: shifted } }),
  );
}

/**
 * Section "prove": `gameday prove gamedays/demo.yaml` over every mutant (early stopping), its CPU
 * and peak RSS, against the same game day run once per mutant by hand (`sandbox up --break` then
 * `gameday run`). --quick times only the first mutant by hand and scales it to all of them.
 */
export async function benchProve(ctx: BenchContext): Promise<Section> {
  const stateDir = join(ctx.ws.dir, "prove-sandbox");
  const targets = join(ctx.ws.dir, "prove-targets.yaml");
  await benchTargets(targets);
  const plan = await loadProvePlan(GAMEDAY, targets);
  const breaks = plan.mutants.flatMap((m) => (m.mutant.sandbox ? [m.mutant.sandbox.break] : []));
  const notes: string[] = [];
  const state = ctx.ws.stateDir("prove");
  try {
    ctx.log(`prove: sandbox at offset ${OFFSET} in ${stateDir}`);
    await sandboxUp({ stateDir, portOffset: OFFSET, breaks: [] });
    const json = join(ctx.ws.dir, "kill-matrix.json");
    const args = ["prove", GAMEDAY, "--targets", targets, "--state-dir", state, "--json", json];
    args.push("--parallel", String(PARALLEL));
    ctx.log(`prove: ${plan.mutants.length} mutants (this takes minutes)`);
    let sampler: ReturnType<typeof sampleProc> | undefined;
    const res = await gameday(args, {
      timeoutMs: 40 * 60_000,
      onSpawn: (pid) => (sampler = sampleProc(pid, 200)),
    });
    const usage = sampler?.stop();
    let score = Number.NaN;
    try {
      const m = JSON.parse(readFileSync(json, "utf8")) as { score: { ratio: number }; survivors: string[] };
      score = m.score.ratio * 100;
      if (m.survivors.length) notes.push(`survivors: ${m.survivors.join(", ")}`);
    } catch (err) {
      notes.push(`no kill matrix: ${(err as Error).message}`);
    }
    if (res.code !== 0) notes.push(`prove exited ${res.code}: ${res.stdout.trim().slice(-300)}`);
    const byHand = ctx.quick ? breaks.slice(0, 1) : breaks;
    let serialMs = 0;
    for (const b of byHand) {
      ctx.log(`prove baseline: the game day with --break ${b}`);
      const t0 = performance.now();
      await sandboxUp({ stateDir, portOffset: OFFSET, breaks: [b] });
      await gameday(["run", GAMEDAY, "--targets", targets, "--state-dir", state, "--quiet"], {
        timeoutMs: 15 * 60_000,
      });
      serialMs += performance.now() - t0;
    }
    await sandboxUp({ stateDir, portOffset: OFFSET, breaks: [] });
    const serialAll = (serialMs / Math.max(1, byHand.length)) * breaks.length;
    if (ctx.quick) notes.push(`--quick: the by-hand time is the first mutant's, scaled to ${breaks.length}`);
    const cpu = (usage?.userS ?? Number.NaN) + (usage?.sysS ?? Number.NaN);
    // Only exit 0 or 1 means every mutant was tried: otherwise the times say nothing about prove.
    const error =
      res.code === 0 || res.code === 1
        ? undefined
        : `prove exited ${res.code}: the mutants did not all run, so the times and the ratio are not comparable`;
    return {
      ...(error ? { error } : {}),
      id: "prove",
      title: `gameday prove: ${plan.mutants.length} mutants of gamedays/demo.yaml (early stopping, --parallel ${PARALLEL})`,
      commands: [shown("node", ["dist/src/cli/main.js", ...args])],
      metrics: [
        {
          name: "prove wall time (healthy run + every mutant)",
          value: res.wallMs / 1000,
          unit: "s",
          below: 15 * 60,
        },
        {
          name: "by hand: sandbox up --break + gameday run, per mutant, summed",
          value: serialAll / 1000,
          unit: "s",
        },
        { name: "ratio prove / by hand", value: res.wallMs / serialAll, unit: "x" },
        { name: "mutation score", value: score, unit: "%" },
        { name: "runner CPU time user+sys", value: cpu, unit: "s" },
        { name: "runner peak RSS", value: usage?.maxRssMiB ?? Number.NaN, unit: "MiB" },
      ],
      notes: [
        "prove includes one healthy run the by-hand loop does not; the by-hand loop runs every experiment (no early stop)",
        ...notes,
      ],
      raw: { wallMs: res.wallMs, serialMs, byHand, usage },
    };
  } finally {
    await sandboxDown({ stateDir }).catch(() => undefined);
  }
}
