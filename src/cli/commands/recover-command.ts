import type { Command } from "commander";
import pc from "picocolors";
import { ExitCode } from "../../errors/gameday-error.js";
import { InjectorRegistry } from "../../faults/injector-registry.js";
import { queueConfig } from "../../queue/queue-config.js";
import { recoverLeases } from "../../queue/recover-leases.js";
import { loadTargets } from "../../targets/targets-loader.js";
import { CLI_OPTIONS } from "../cli-options.js";
import { QUEUE_OPTIONS } from "../queue-options.js";

/** Finds faults by the owner tag they carry in the target itself, so no journal is needed. */
export function registerRecoverCommand(program: Command): void {
  program
    .command("recover")
    .description("find and revert faults left behind by gameday runs (by owner tag, without the journal)")
    .addOption(CLI_OPTIONS.targets())
    .addOption(CLI_OPTIONS.target())
    .addOption(CLI_OPTIONS.runId())
    .addOption(CLI_OPTIONS.dryRun())
    .addOption(QUEUE_OPTIONS.leases())
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .action(async (opts) => {
      // Queued runs: the lease records name each dead run's targets, so no targets file is needed.
      if (opts.leases) {
        const failed = await recoverLeases(queueConfig(opts), Boolean(opts.dryRun), process.stdout);
        process.exitCode = failed ? ExitCode.error : ExitCode.passed;
        return;
      }
      const targets = await loadTargets(opts.targets);
      let failed = 0;
      let found = 0;
      for (const [name, target] of Object.entries(targets.targets.targets)) {
        if (opts.target && opts.target !== name) continue;
        for (const injector of (await InjectorRegistry.forTarget(target)).all()) {
          let orphans: Awaited<ReturnType<typeof injector.findOrphans>>;
          try {
            orphans = await injector.findOrphans(opts.run);
          } catch (err) {
            // One unreachable environment must not stop recovery of the others; asked for by name, it fails the command.
            if (opts.target) failed++;
            process.stderr.write(
              `${pc.yellow("skipped")} ${name}/${injector.family}: cannot list faults: ${(err as Error).message}\n`,
            );
            continue;
          }
          for (const o of orphans) {
            found++;
            if (opts.dryRun) {
              process.stdout.write(`would revert ${o.ownerTag} (${name}/${o.family}): ${o.description}\n`);
              continue;
            }
            try {
              await injector.revertOrphan(o);
              process.stdout.write(
                `${pc.green("reverted")} ${o.ownerTag} (${name}/${o.family}): ${o.description}\n`,
              );
            } catch (err) {
              failed++;
              process.stderr.write(`${pc.red("FAILED")} ${o.ownerTag}: ${(err as Error).message}\n`);
            }
          }
        }
      }
      process.stdout.write(
        found ? `${found - failed} of ${found} orphaned faults reverted\n` : "no orphaned faults found\n",
      );
      process.exitCode = failed ? ExitCode.error : ExitCode.passed;
    });
}
