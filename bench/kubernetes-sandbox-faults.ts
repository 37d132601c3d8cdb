import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gameday } from "./support/cli.js";
import type { Metric } from "./support/report.js";
import { readRun } from "./support/run-artifacts.js";
import { median } from "./support/stats.js";

/** circuit_breaker_state's value for open (src/run/expectations/breaker-cycle-check.ts). */
const OPEN = 2;

interface Sample {
  t: number;
  value?: number;
}
interface RunJson {
  verdict?: string;
  expectations?: { name: string; status: string; samples?: Sample[] }[];
}

export interface SandboxFaultFigures {
  metrics: Metric[];
  raw: Record<string, number[]>;
  /** Runs whose verdict was failed (exit 1): their times count, and the section says so. */
  failedRuns: string[];
}

/** What one experiment run says about its fault: inject, first breaker-open sample, revert + verify. */
function timesOf(stateDir: string, breakerExpectation: string) {
  const { journal, result } = readRun(stateDir);
  const at = (type: string) => journal.find((e) => e.type === type)?.t ?? Number.NaN;
  const injecting = at("fault.injecting");
  const injected = at("fault.injected");
  const reverting = at("fault.reverting");
  const reverted = at("fault.reverted");
  const run = result as RunJson;
  const breaker = run.expectations?.find((e) => e.name === breakerExpectation);
  const open = breaker?.samples?.find((s) => s.value === OPEN && s.t >= injected)?.t ?? Number.NaN;
  return {
    verdict: run.verdict ?? "?",
    injectMs: injected - injecting,
    breakerOpenMs: open - injected,
    revertMs: reverted - reverting,
  };
}

/**
 * The sandbox's own Kubernetes experiments, run by the real CLI against the sandbox deployed on the
 * bench's cluster: "pod deleted -> orders' breaker open" is the time from the journal's
 * fault.injected (the pod deletion returned) to the first breakerCycle sample that read the breaker
 * open, as gameday saw it; inject and revert + verify come from the same journal.
 */
export async function benchSandboxFaults(o: {
  root: string;
  kubeconfig: string;
  rounds: number;
  log: (m: string) => void;
}): Promise<SandboxFaultFigures> {
  const env = { ...process.env, GAMEDAY_KUBECONFIG: o.kubeconfig };
  const work = mkdtempSync(join(tmpdir(), "gameday-bench-k8s-sandbox-"));
  // The repo's targets file with this cluster's kubeconfig: the same allow-list, another cluster.
  const targets = join(work, "targets.yaml");
  writeFileSync(
    targets,
    readFileSync(join(o.root, "targets.yaml"), "utf8").replace(
      /kubeconfig: \.gameday\/kube\/kubeconfig/,
      `kubeconfig: ${o.kubeconfig}`,
    ),
  );
  const cli = (args: string[], timeoutMs: number) => gameday(args, { cwd: o.root, env, timeoutMs });
  const experiments = {
    "pod-delete (payments)": {
      file: "experiments/kubernetes/payments-pod-delete.yaml",
      breaker: "orders' breaker opens after the deletion and closes once the replacement serves",
    },
    "network latency (in-cluster Toxiproxy)": {
      file: "experiments/kubernetes/payments-latency.yaml",
      breaker: "orders' breaker opens and closes after the toxic is gone",
    },
  };
  const raw: Record<string, number[]> = {};
  const failedRuns: string[] = [];
  const push = (k: string, v: number) => {
    raw[k] = [...(raw[k] ?? []), v];
  };
  o.log("kubernetes: gameday sandbox up --runtime kubernetes (bench cluster)");
  const up = await cli(["sandbox", "up", "--runtime", "kubernetes"], 300_000);
  if (up.code !== 0) throw new Error(`sandbox up --runtime kubernetes failed: ${up.stderr.slice(-2000)}`);
  try {
    for (let r = 0; r < o.rounds; r++)
      for (const [label, x] of Object.entries(experiments)) {
        const stateDir = join(work, `run-${label.split(" ")[0]}-${r}`);
        const res = await cli(["run", x.file, "--targets", targets, "--state-dir", stateDir], 240_000);
        const t = timesOf(stateDir, x.breaker);
        o.log(`kubernetes: ${x.file} round ${r + 1}: exit ${res.code}, ${t.verdict}`);
        // A failed expectation still measured the fault (its times are in the journal); anything
        // else (not run, aborted, a revert not verified) is no figure.
        if (res.code !== 0 && res.code !== 1)
          throw new Error(`${x.file} exited ${res.code}: ${res.stderr.slice(-2000)}`);
        if (res.code === 1) failedRuns.push(`${x.file} round ${r + 1}`);
        push(`${label}: inject`, t.injectMs);
        push(`${label}: breaker open`, t.breakerOpenMs);
        push(`${label}: revert + verify`, t.revertMs);
      }
  } finally {
    await cli(["sandbox", "down", "--runtime", "kubernetes"], 300_000);
    rmSync(work, { recursive: true, force: true });
  }
  const metrics: Metric[] = [];
  for (const label of Object.keys(experiments)) {
    metrics.push({
      name: `${label}: fault injected -> orders' breaker seen open (gameday's samples), median`,
      value: median(raw[`${label}: breaker open`] ?? []),
      unit: "ms",
    });
    metrics.push({
      name: `${label}: inject, median`,
      value: median(raw[`${label}: inject`] ?? []),
      unit: "ms",
    });
    metrics.push({
      name: `${label}: revert + verify, median`,
      value: median(raw[`${label}: revert + verify`] ?? []),
      unit: "ms",
    });
  }
  return { metrics, raw, failedRuns };
}
