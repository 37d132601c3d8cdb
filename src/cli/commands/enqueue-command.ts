import type { Command } from "commander";
import { ExitCode, type ExitCodeValue } from "../../errors/gameday-error.js";
import { HaltedError } from "../../errors/halted-error.js";
import { buildPayload } from "../../queue/build-payload.js";
import { enqueueRun } from "../../queue/enqueue-run.js";
import { printRecord } from "../../queue/print-record.js";
import { queueConfig } from "../../queue/queue-config.js";
import { waitForRun } from "../../queue/wait-for-run.js";
import { ConsoleReporter } from "../../report/console-reporter.js";
import { RedisHaltSwitch } from "../../safety/redis-halt-switch.js";
import { CLI_OPTIONS } from "../cli-options.js";
import { QUEUE_OPTIONS } from "../queue-options.js";

export function registerEnqueueCommand(program: Command): void {
  program
    .command("enqueue")
    .description(
      "put a game day or an experiment on the queue for the workers; --wait streams it and exits with its exit code",
    )
    .argument("<file>", "a GameDay or Experiment file")
    .addOption(CLI_OPTIONS.targets())
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .addOption(QUEUE_OPTIONS.wait())
    .addOption(QUEUE_OPTIONS.timeout())
    .addOption(CLI_OPTIONS.quiet())
    .action(async (file: string, opts) => {
      const q = queueConfig(opts);
      const payload = await buildPayload(file, { targetsFile: opts.targets });
      const halt = new RedisHaltSwitch(q.url, q.keys);
      const halted = await halt.current().finally(() => halt.close());
      if (halted) throw new HaltedError(halted, halt.where);
      const id = await enqueueRun(q, payload);
      process.stdout.write(`enqueued ${payload.kind} ${payload.name} as run ${id}\n`);
      if (!opts.wait) return;
      const console = new ConsoleReporter();
      const record = await waitForRun(q, id, {
        timeoutMs: opts.timeout,
        onMessage: (m) => {
          if (opts.quiet) return;
          if (m.type === "event") console.onEvent(m.event);
          else if (m.type === "snapshot") console.onProgress(m.snapshot);
          else if (m.type === "run-end") console.onRunEnd(m.result);
          else process.stderr.write(`  ${m.message}\n`);
        },
      });
      printRecord(record, process.stdout);
      process.exitCode = (record.exitCode ?? ExitCode.error) as ExitCodeValue;
    });
}
