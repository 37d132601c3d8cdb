import { resolve } from "node:path";
import type { Command } from "commander";
import { startWorker } from "../../queue/gameday-worker.js";
import { queueConfig } from "../../queue/queue-config.js";
import { installationId } from "../../run/installation-id.js";
import { loadTargets } from "../../targets/targets-loader.js";
import { CLI_OPTIONS } from "../cli-options.js";
import { QUEUE_OPTIONS } from "../queue-options.js";

/** Runs queued game days until SIGTERM/SIGINT; then every running method stops and rolls back first. */
export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("run queued game days; SIGTERM stops the methods, rolls every fault back, then exits")
    .addOption(QUEUE_OPTIONS.concurrency())
    .addOption(CLI_OPTIONS.targets())
    .addOption(CLI_OPTIONS.stateDir())
    .addOption(QUEUE_OPTIONS.leaseTtl())
    .addOption(QUEUE_OPTIONS.janitorInterval())
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .action(async (opts) => {
      const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
      // The worker's own allow-list: jobs name targets, this file says what they reach.
      const targets = await loadTargets(opts.targets);
      const stateDir = resolve(opts.stateDir);
      const worker = await startWorker(queueConfig(opts), {
        targets,
        installation: installationId({ fromTargets: targets.targets.installation }),
        concurrency: opts.concurrency,
        stateDir,
        leaseTtlMs: opts.leaseTtl,
        janitorIntervalMs: opts.janitorInterval,
        log,
      });
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          if (stopping) return log(`${signal} again: rollback is in progress and will finish first`);
          stopping = true;
          log(`${signal} received: stopping; running game days roll back their faults first`);
          worker.close().then(resolve, (err) => {
            log(`shutdown: ${(err as Error).message}`);
            resolve();
          });
        };
        let stopping = false;
        process.on("SIGTERM", stop);
        process.on("SIGINT", stop);
      });
      log("worker stopped");
    });
}
