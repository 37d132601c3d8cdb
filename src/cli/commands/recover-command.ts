import type { Command } from "commander";
import { Option } from "commander";
import pc from "picocolors";
import { ExitCode } from "../../errors/gameday-error.js";
import {
  countOutcomes,
  type SweepEntry,
  type SweepReport,
  type SweepSource,
  sweepOrphans,
  sweepSourcesOf,
} from "../../faults/orphan-sweep.js";
import { liveLeaseRuns } from "../../queue/live-lease-runs.js";
import { queueConfig } from "../../queue/queue-config.js";
import { recoverLeases } from "../../queue/recover-leases.js";
import { redisConfigured } from "../../queue/redis-configured.js";
import { connectRedis } from "../../queue/redis-connection.js";
import { installationId } from "../../run/installation-id.js";
import { liveLocalRuns } from "../../run/target-lock.js";
import { type LoadedTargets, loadTargets } from "../../targets/targets-loader.js";
import { CLI_OPTIONS } from "../cli-options.js";
import { QUEUE_OPTIONS } from "../queue-options.js";

const forceOption = () =>
  new Option("--force", "also revert the faults of runs whose lock or lease is live (a run in progress)");

/** Live runs: local locks in the state folder, and live leases when Redis is configured. */
async function liveRuns(opts: { stateDir: string; redis?: string }): Promise<Map<string, string>> {
  const live = liveLocalRuns(opts.stateDir);
  if (!redisConfigured(opts.redis)) return live;
  const q = queueConfig(opts);
  const redis = await connectRedis(q.url);
  try {
    for (const [run, holder] of await liveLeaseRuns(redis, q.keys)) live.set(run, holder);
  } finally {
    await redis.quit().catch(() => {});
  }
  return live;
}

async function sources(targets: LoadedTargets, only?: string): Promise<SweepSource[]> {
  const out: SweepSource[] = [];
  for (const [name, target] of Object.entries(targets.targets.targets)) {
    if (only && only !== name) continue;
    out.push(...(await sweepSourcesOf(name, target)));
  }
  return out;
}

function line(e: SweepEntry): string {
  const where = `${e.orphan.ownerTag} (${e.target}/${e.family}): ${e.orphan.description}`;
  switch (e.outcome) {
    case "reverted":
      return `${pc.green("reverted")} ${where}`;
    case "would-revert":
      return `would revert ${where}`;
    case "live":
    case "foreign":
      return `${pc.yellow("skipped")} ${where}: ${e.detail}`;
    case "failed":
      return `${pc.red("FAILED")} ${e.orphan.ownerTag}: ${e.detail}`;
  }
}

/** The last line: "would" in a dry run, never "reverted" for something left alone. */
export function recoverSummary(report: SweepReport, dryRun: boolean): string {
  const n = countOutcomes(report);
  const skipped = n.live + n.foreign;
  const skippedText = skipped
    ? `; ${skipped} skipped (${n.live} of live runs, ${n.foreign} of other installations)`
    : "";
  if (dryRun) {
    if (!n["would-revert"] && !skipped) return "dry run: no orphaned faults found; nothing touched";
    return `dry run: ${n["would-revert"]} orphaned faults would be reverted${skippedText}; nothing touched`;
  }
  const found = n.reverted + n.failed;
  if (!found && !skipped) return "no orphaned faults found";
  return `${n.reverted} of ${found} orphaned faults reverted${skippedText}`;
}

/** Finds faults by the owner tag they carry in the target itself, so no journal is needed. */
export function registerRecoverCommand(program: Command): void {
  program
    .command("recover")
    .description(
      "find and revert faults left behind by gameday runs (by owner tag, without the journal); live runs are skipped unless --force",
    )
    .addOption(CLI_OPTIONS.targets())
    .addOption(CLI_OPTIONS.target())
    .addOption(CLI_OPTIONS.runId())
    .addOption(CLI_OPTIONS.dryRun())
    .addOption(CLI_OPTIONS.stateDir())
    .addOption(forceOption())
    .addOption(QUEUE_OPTIONS.leases())
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .action(async (opts) => {
      const targets = await loadTargets(opts.targets);
      const installation = installationId({ fromTargets: targets.targets.installation });
      // Queued runs: expired leases name their targets, resolved here in this targets file.
      if (opts.leases) {
        const failed = await recoverLeases(queueConfig(opts), Boolean(opts.dryRun), process.stdout, {
          targets,
          installation,
        });
        process.exitCode = failed ? ExitCode.error : ExitCode.passed;
        return;
      }
      const report = await sweepOrphans(await sources(targets, opts.target), {
        installation,
        runIds: opts.run ? [opts.run] : undefined,
        live: await liveRuns(opts),
        force: Boolean(opts.force),
        dryRun: Boolean(opts.dryRun),
      });
      for (const u of report.unlisted)
        process.stderr.write(
          `${pc.yellow("skipped")} ${u.target}/${u.family}: cannot list faults: ${u.error}\n`,
        );
      for (const e of report.entries)
        (e.outcome === "failed" ? process.stderr : process.stdout).write(`${line(e)}\n`);
      process.stdout.write(`${recoverSummary(report, Boolean(opts.dryRun))}\n`);
      // One unreachable environment must not stop recovery of the others; asked for by name, it fails the command.
      const failed = countOutcomes(report).failed + (opts.target ? report.unlisted.length : 0);
      process.exitCode = failed ? ExitCode.error : ExitCode.passed;
    });
}
