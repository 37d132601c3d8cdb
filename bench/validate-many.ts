import { gameday, shown } from "./support/cli.js";
import type { BenchContext } from "./support/context.js";
import { experimentYaml } from "./support/experiment-yaml.js";
import type { Section } from "./support/report.js";
import { median } from "./support/stats.js";

const FILES = 100;

/** Every toxic the schema knows, so validation walks every branch of the fault union. */
const TOXICS = [
  "toxic: latency, latency: 800ms, jitter: 100ms",
  "toxic: bandwidth, rate: 64",
  "toxic: slow_close, delay: 2s",
  "toxic: timeout, timeout: 1s",
  "toxic: reset_peer, timeout: 0s",
  "toxic: slicer, averageSize: 64, sizeVariation: 16, delay: 1ms",
  "toxic: limit_data, bytes: 4096",
  "toxic: outage",
];

/** A realistic, valid experiment: load, steady state, an expectation during the fault, an abort condition. */
export function generatedExperiment(ctx: BenchContext, i: number): string {
  return experimentYaml({
    name: `bench-generated-${i}`,
    sampleInterval: "1s",
    rate: 10 + i,
    toxiproxy: `{ proxy: ${ctx.stack.proxyName}, ${TOXICS[i % TOXICS.length]} }`,
    at: `${i % 7}s`,
    for: "1m30s",
    steadyState: ["{ name: error ratio under 1%, source: load, metric: errorRatio, below: 0.01, over: 15s }"],
    expect: [
      "{ name: keeps serving, source: load, metric: errorRatio, below: 0.05, during: f1 }",
      "{ name: p95 stays sane, source: load, metric: p95, below: 2000, at: end }",
      "{ name: recovers, source: load, metric: successRatio, atLeast: 0.99, recoveredWithin: 20s }",
    ],
    abortWhen: ["{ source: load, metric: errorRatio, above: 0.5, for: 10s }"],
    recoveryWithin: "30s",
  });
}

/** Section 4: `gameday validate` over 100 generated valid files in one invocation. */
export async function benchValidateMany(ctx: BenchContext): Promise<Section> {
  const runs = ctx.quick ? 3 : 5;
  const files = Array.from({ length: FILES }, (_, i) =>
    ctx.ws.write(`valid-${String(i).padStart(3, "0")}.yaml`, generatedExperiment(ctx, i)),
  );
  const args = ["validate", ...files, "--targets", ctx.ws.targets];
  const walls: number[] = [];
  const problems: string[] = [];
  for (let i = 0; i < runs; i++) {
    ctx.log(`validate ${FILES} files: run ${i + 1}/${runs}`);
    const res = await gameday(args, { timeoutMs: 60_000 });
    if (res.code !== 0 || !res.stdout.includes(`${FILES} valid, 0 invalid`))
      problems.push(
        `run ${i + 1} exited ${res.code}: ${res.stderr.trim().split("\n").slice(0, 5).join(" | ")}`,
      );
    else walls.push(res.wallMs);
  }
  return {
    id: "4",
    title: `gameday validate of ${FILES} generated valid experiment files in one invocation, median of ${runs}`,
    commands: [
      shown("node", [
        "dist/src/cli/main.js",
        "validate",
        `${ctx.ws.dir}/valid-000.yaml`,
        "...",
        `${ctx.ws.dir}/valid-099.yaml`,
        "--targets",
        ctx.ws.targets,
      ]),
    ],
    metrics: [
      { name: `wall time, ${FILES} files, one process`, value: median(walls), unit: "ms", below: 1000 },
      { name: "per file", value: median(walls) / FILES, unit: "ms" },
    ],
    notes: [
      "includes node start and module load; each file has load, steadyState, 3 expectations, an abort condition and one of the 8 toxics",
      `per run (ms): ${walls.map((w) => w.toFixed(0)).join(", ")}`,
      ...problems,
    ],
    raw: { files: FILES, walls, problems },
  };
}
