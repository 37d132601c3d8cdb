import { chaosArgs, chaosExperiment, runChaos } from "./support/chaostoolkit.js";
import { gameday, shown } from "./support/cli.js";
import type { BenchContext } from "./support/context.js";
import { experimentYaml } from "./support/experiment-yaml.js";
import type { Section } from "./support/report.js";
import { median } from "./support/stats.js";

/** The same intent in both tools: a 100 ms latency toxic on the proxy for 2 s, then removed. */
export function equivalentFiles(ctx: BenchContext): { chaos: string; gameday: string; settings: string } {
  return {
    chaos: ctx.ws.write(
      "ctk-latency.json",
      chaosExperiment(ctx.stack.toxiproxyUrl, ctx.stack.proxyName, "ctk-bench", 2),
    ),
    gameday: ctx.ws.write(
      "gd-latency.yaml",
      experimentYaml({
        name: "bench-peer-latency",
        sampleInterval: "100ms",
        toxiproxy: `{ proxy: ${ctx.stack.proxyName}, toxic: latency, latency: 100ms }`,
        at: "0s",
        for: "2s",
      }),
    ),
    settings: ctx.ws.write("ctk-settings.yaml", "{}\n"),
  };
}

/**
 * Section 6b: `chaos validate` checks one file per process, so N files cost N processes; gameday
 * validates N files in one. Both per-file figures, plus gameday one-file-per-process for fairness.
 */
export async function benchPeerValidate(ctx: BenchContext): Promise<Section> {
  const n = ctx.quick ? 5 : 20;
  const runs = ctx.quick ? 3 : 5;
  const section: Section = {
    id: "6b",
    title: `Peer: chaos validate x ${n} (one file per process) vs gameday validate (${n} files in one process, and one per process); --version x ${n}`,
    commands: [],
    metrics: [],
    notes: [],
  };
  if ("unavailable" in ctx.peer) {
    section.error = `peer unavailable: ${ctx.peer.unavailable}`;
    return section;
  }
  const files = equivalentFiles(ctx);
  const copies = Array.from({ length: n }, (_, i) =>
    ctx.ws.write(
      `gd-latency-${i}.yaml`,
      experimentYaml({
        name: `bench-peer-latency-${i}`,
        sampleInterval: "100ms",
        toxiproxy: `{ proxy: ${ctx.stack.proxyName}, toxic: latency, latency: 100ms }`,
        at: "0s",
        for: "2s",
      }),
    ),
  );
  const chaosVersion: number[] = [];
  const gamedayVersion: number[] = [];
  const chaosWalls: number[] = [];
  const singleWalls: number[] = [];
  const batchWalls: number[] = [];
  const problems: string[] = [];
  const single = ["validate", files.gameday, "--targets", ctx.ws.targets];
  const batch = ["validate", ...copies, "--targets", ctx.ws.targets];
  for (let i = 0; i < n; i++) {
    ctx.log(`peer validate: ${i + 1}/${n}`);
    const c = await runChaos(ctx.peer.chaos, files.settings, ["validate", files.chaos], {
      cwd: ctx.ws.dir,
      timeoutMs: 60_000,
    });
    if (c.code === 0) chaosWalls.push(c.wallMs);
    else problems.push(`chaos validate exited ${c.code}: ${(c.stderr + c.stdout).trim().slice(-300)}`);
    const g = await gameday(single, { timeoutMs: 60_000 });
    if (g.code === 0) singleWalls.push(g.wallMs);
    else problems.push(`gameday validate exited ${g.code}: ${g.stderr.trim().slice(-300)}`);
    // Cold start with nothing to do: `--version`, interleaved the same way.
    const cv = await runChaos(ctx.peer.chaos, files.settings, ["--version"], {
      cwd: ctx.ws.dir,
      timeoutMs: 60_000,
    });
    if (cv.code === 0) chaosVersion.push(cv.wallMs);
    else problems.push(`chaos --version exited ${cv.code}: ${(cv.stderr + cv.stdout).trim().slice(-300)}`);
    const gv = await gameday(["--version"], { timeoutMs: 60_000 });
    if (gv.code === 0) gamedayVersion.push(gv.wallMs);
    else problems.push(`gameday --version exited ${gv.code}: ${gv.stderr.trim().slice(-300)}`);
  }
  for (let i = 0; i < runs; i++) {
    const g = await gameday(batch, { timeoutMs: 60_000 });
    if (g.code === 0) batchWalls.push(g.wallMs);
    else problems.push(`gameday validate (${n} files) exited ${g.code}: ${g.stderr.trim().slice(-300)}`);
  }
  const chaosPer = median(chaosWalls);
  const batchPer = median(batchWalls) / n;
  const singlePer = median(singleWalls);
  section.commands = [
    `${shown(ctx.peer.chaos, chaosArgs(files.settings, ["validate", files.chaos]))}   (x${n})`,
    `${shown("node", ["dist/src/cli/main.js", "validate", copies[0] as string, "...", copies.at(-1) as string, "--targets", ctx.ws.targets])}   (${n} files, x${runs})`,
    `${shown("node", ["dist/src/cli/main.js", ...single])}   (x${n})`,
    `${shown(ctx.peer.chaos, chaosArgs(files.settings, ["--version"]))}   (x${n})`,
    `${shown("node", ["dist/src/cli/main.js", "--version"])}   (x${n})`,
  ];
  section.metrics = [
    { name: "chaos validate, per file (= per process)", value: chaosPer, unit: "ms" },
    { name: `gameday validate, per file (${n} files in one process)`, value: batchPer, unit: "ms" },
    { name: "gameday validate, per file (one file per process)", value: singlePer, unit: "ms" },
    { name: "ratio chaos / gameday, per file, batch", value: chaosPer / batchPer, unit: "x" },
    { name: "ratio chaos / gameday, one file per process", value: chaosPer / singlePer, unit: "x", above: 3 },
    { name: "chaos --version (cold start, per process)", value: median(chaosVersion), unit: "ms" },
    { name: "gameday --version (cold start, per process)", value: median(gamedayVersion), unit: "ms" },
    {
      name: "ratio chaos / gameday, --version",
      value: median(chaosVersion) / median(gamedayVersion),
      unit: "x",
      above: 3,
    },
  ];
  section.notes = [
    "every figure is wall time of whole processes (interpreter start, imports, parsing, validation)",
    "chaos validate imports chaostoxi.toxic.actions and checks the activities' arguments; gameday checks the schema, durations, fault names and that spec.target exists in the targets file",
    "ratio > 1 means chaos is slower; every figure is the median of the runs, chaos and gameday interleaved",
    ...problems,
  ];
  section.raw = { n, chaosWalls, singleWalls, batchWalls, chaosVersion, gamedayVersion, problems };
  return section;
}
