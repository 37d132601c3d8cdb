import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { TOXIPROXY_VERSION, toxiproxyServerBin } from "../src/sandbox/tools.js";
import { benchAbortLatency } from "./abort-latency.js";
import { benchAppFaultAlert } from "./app-fault-alert.js";
import { benchConsoleHtml } from "./console-html.js";
import { benchDocker } from "./docker-faults.js";
import { benchKubernetesActions } from "./kubernetes-actions.js";
import { benchMalformedInput } from "./malformed-input.js";
import { benchOverhead } from "./orchestrator-overhead.js";
import { benchPeerRun } from "./peer-run.js";
import { benchPeerValidate } from "./peer-validate.js";
import { benchProve } from "./prove-section.js";
import { benchQueue } from "./queue-section.js";
import { benchRunnerResources } from "./runner-resources.js";
import { benchObservability } from "./sandbox-observability.js";
import { findChaosToolkit, type Peer } from "./support/chaostoolkit.js";
import type { BenchContext } from "./support/context.js";
import { startPrivateStack } from "./support/private-stack.js";
import { renderSection, renderSummary, type Section } from "./support/report.js";
import { createWorkspace } from "./support/workspace.js";
import { benchToxicLatency } from "./toxic-latency.js";
import { benchValidateMany } from "./validate-many.js";

/** Repo-relative, from dist/bench/run-all.js; git-ignored by bench/.gitignore. */
const RESULTS = fileURLToPath(new URL("../../bench/results/", import.meta.url));

type Bench = { ids: string[]; run: (ctx: BenchContext) => Promise<Section | Section[]> };
const BENCHES: Bench[] = [
  { ids: ["1", "6a"], run: benchToxicLatency },
  { ids: ["2"], run: benchAbortLatency },
  { ids: ["3"], run: benchOverhead },
  { ids: ["4"], run: benchValidateMany },
  { ids: ["6b"], run: benchPeerValidate },
  { ids: ["6c"], run: benchPeerRun },
  { ids: ["5"], run: benchRunnerResources },
  { ids: ["7"], run: benchQueue },
  { ids: ["8"], run: benchMalformedInput },
  { ids: ["k8s"], run: benchKubernetesActions },
  { ids: ["docker"], run: benchDocker },
  { ids: ["prove"], run: benchProve },
  { ids: ["html"], run: benchConsoleHtml },
  { ids: ["obs"], run: benchObservability },
  { ids: ["alert"], run: benchAppFaultAlert },
];

function usage(): never {
  process.stderr.write(
    "usage: npm run bench -- [--quick] [--only 1,2,6a,prove,...]\n" +
      "  --quick  fewer rounds and runs, and a 15 s instead of 60 s resource run\n",
  );
  process.exit(2);
}

function parseArgs(argv: string[]): { quick: boolean; only?: Set<string> } {
  let quick = false;
  let only: Set<string> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") quick = true;
    else if (a === "--only" && argv[i + 1]) only = new Set((argv[++i] as string).split(","));
    else usage();
  }
  return only ? { quick, only } : { quick };
}

function quiet(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

function peerVersion(peer: Peer): string {
  if ("unavailable" in peer) return `unavailable (${peer.unavailable})`;
  const v = quiet(peer.python, [
    "-c",
    "import importlib.metadata as m; print(' '.join(f'{p} {m.version(p)}' for p in ('chaostoolkit','chaostoolkit-lib','chaostoolkit-toxiproxy')))",
  ]);
  return `${v} (${quiet(peer.python, ["--version"])}, ${peer.venv})`;
}

async function main(): Promise<number> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
  const stack = await startPrivateStack();
  const ws = createWorkspace(stack);
  const cleanup = async () => {
    await stack.stop().catch(() => undefined);
    ws.remove();
  };
  const onSignal = (sig: NodeJS.Signals) => {
    log(`${sig}: stopping the private stack and removing ${ws.dir}`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const peer = findChaosToolkit();
  const ctx: BenchContext = { stack, ws, peer, quick, log };
  const env = {
    date: new Date().toISOString(),
    mode: quick ? "quick" : "full",
    commit: quiet("git", ["rev-parse", "--short", "HEAD"]),
    node: process.version,
    toxiproxy: `${TOXIPROXY_VERSION} (${toxiproxyServerBin()})`,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? "?"}`,
    loadavgAtStart: loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
    peer: peerVersion(peer),
    toxiproxyUrl: stack.toxiproxyUrl,
    upstream: `${stack.proxiedUrl} -> proxy ${stack.proxyName} -> ${stack.upstreamUrl}`,
  };
  process.stdout.write(`# gameday bench (${env.mode})\n`);
  for (const [k, v] of Object.entries(env)) process.stdout.write(`  ${k.padEnd(15)} ${v}\n`);
  const sections: Section[] = [];
  let failed = 0;
  try {
    for (const bench of BENCHES) {
      if (only && !bench.ids.some((id) => only.has(id))) continue;
      let out: Section[];
      try {
        const r = await bench.run(ctx);
        out = Array.isArray(r) ? r : [r];
      } catch (err) {
        failed++;
        const message = (err as Error).message;
        out = bench.ids.map((id) => ({
          id,
          title: `bench ${id}`,
          commands: [],
          metrics: [],
          notes: [],
          error: `FAILED: ${message}`,
        }));
        await stack.reset().catch(() => undefined);
      }
      for (const s of out) {
        if (only && !only.has(s.id)) continue;
        sections.push(s);
        process.stdout.write(`${renderSection(s)}\n`);
      }
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await cleanup();
  }
  const totalS = (performance.now() - t0) / 1000;
  // Run in the order that keeps the long resource run last; summarised in the brief's numbering.
  sections.sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
  process.stdout.write(`\n# Summary\n${renderSummary(sections)}\n`);
  mkdirSync(RESULTS, { recursive: true });
  const json = `${RESULTS}latest.json`;
  const loadavgAtEnd = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  writeFileSync(json, `${JSON.stringify({ env, totalSeconds: totalS, loadavgAtEnd, sections }, null, 2)}\n`);
  process.stdout.write(
    `\nbench wall time ${totalS.toFixed(1)} s (bench process only; build not included); ` +
      `load average at the end ${loadavgAtEnd}; JSON: ${json}\n`,
  );
  return failed ? 1 : 0;
}

process.exitCode = await main();
