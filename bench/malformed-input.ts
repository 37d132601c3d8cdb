// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${ is the malformed input under test
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { exec } from "./support/cli.js";
import type { BenchContext } from "./support/context.js";
import type { Section } from "./support/report.js";

const VALIDATE = fileURLToPath(new URL("../src/experiment/validate-files.js", import.meta.url));
const TARGETS = fileURLToPath(new URL("../src/targets/targets-loader.js", import.meta.url));

const HEAD = "apiVersion: gameday/v1\nkind: Experiment\nmetadata:\n  name: x\n";
const SPEC = (extra = "") =>
  `spec:\n  target: sandbox\n${extra}  faults:\n    - { name: f, for: 1s, toxiproxy: { proxy: p, toxic: latency, latency: 1ms } }\n`;

/** The worst inputs the hostile-input tests refuse, each about as large as the limits allow. */
function cases(): Record<string, string> {
  return {
    "1 MB name": `${HEAD.replace("name: x", `name: ${"A".repeat(1_000_000)}`)}${SPEC()}`,
    "200,000 ${ in one value": `${HEAD}  description: "${"${".repeat(200_000)}"\n${SPEC()}`,
    "50,000 labels (flow)": `${HEAD}  labels: {${Array.from({ length: 50_000 }, (_, i) => `k${i}: v`).join(", ")}}\n${SPEC()}`,
    "125,000 errors (flow list)": `${HEAD}${SPEC(`  expect: [${Array(125_000).fill("1").join(",")}]\n`)}`,
    "700 labels (just under the item cap)": `${HEAD}  labels:\n${Array.from({ length: 700 }, (_, i) => `    k${i}: v\n`).join("")}${SPEC()}`,
    "100 checks, 3 errors each": `${HEAD}${SPEC(`  expect:\n${"    - { within: 1, at: 2, check: x }\n".repeat(100)}`)}`,
    "400-digit duration": `${HEAD}${SPEC().replace("for: 1s", `for: ${"9".repeat(400)}s`)}`,
  };
}

interface Measured {
  ms: number;
  maxRssMiB: number;
  issues: number;
}

/** One fresh process per input: the time of validateFiles alone, and the process's peak RSS. */
async function measure(file: string, targets: string): Promise<Measured> {
  const code = `
    const { validateFiles } = await import(${JSON.stringify(VALIDATE)});
    const { loadTargets } = await import(${JSON.stringify(TARGETS)});
    const targets = await loadTargets(${JSON.stringify(targets)});
    const t0 = performance.now();
    const r = await validateFiles([${JSON.stringify(file)}], { targets });
    const ms = performance.now() - t0;
    const issues = r.reduce((n, x) => n + x.issues.length, 0);
    process.stdout.write(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, issues }));`;
  const res = await exec(process.execPath, ["--input-type=module", "-e", code], { timeoutMs: 60_000 });
  if (res.code !== 0) throw new Error(`validate of ${file} exited ${res.code}: ${res.stderr.slice(0, 300)}`);
  return JSON.parse(res.stdout) as Measured;
}

/** Section 8: time and peak RSS to refuse the worst malformed inputs (a 1 s and 256 MiB budget each). */
export async function benchMalformedInput(ctx: BenchContext): Promise<Section> {
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(cases()))
    files[name] = ctx.ws.write(`malformed-${Object.keys(files).length}.yaml`, text);
  const fifo = `${ctx.ws.dir}/malformed-fifo.yaml`;
  execFileSync("mkfifo", [fifo]);
  files["a FIFO"] = fifo;
  files["/dev/urandom"] = "/dev/urandom";
  const metrics: Section["metrics"] = [];
  const notes: string[] = [];
  let worstMs = 0;
  let worstRss = 0;
  for (const [name, file] of Object.entries(files)) {
    ctx.log(`malformed input: ${name}`);
    const m = await measure(file, ctx.ws.targets);
    worstMs = Math.max(worstMs, m.ms);
    worstRss = Math.max(worstRss, m.maxRssMiB);
    metrics.push({ name: `${name}: time to refuse`, value: m.ms, unit: "ms", below: 1000 });
    notes.push(
      `${name}: ${m.ms.toFixed(0)} ms, peak RSS ${m.maxRssMiB.toFixed(0)} MiB, ${m.issues} issue(s) shown`,
    );
  }
  metrics.push({ name: "worst peak RSS of one refusal (process)", value: worstRss, unit: "MiB", below: 256 });
  return {
    id: "8",
    title: "malformed input: time and peak RSS to refuse the worst files (fresh process each)",
    commands: [`node -e 'validateFiles([<file>], { targets })'  # one process per input, ${ctx.ws.dir}`],
    metrics,
    notes: [
      "time is validateFiles alone (read, bound, parse, validate), without node start and module load; RSS is the whole process",
      ...notes,
    ],
    raw: { worstMs, worstRss },
  };
}
