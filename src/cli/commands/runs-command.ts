import type { Command } from "commander";
import { ExitCode, GamedayError } from "../../errors/gameday-error.js";
import { printRecord, printRecordLine } from "../../queue/print-record.js";
import { queueConfig } from "../../queue/queue-config.js";
import { connectRedis } from "../../queue/redis-connection.js";
import { RunHistory } from "../../queue/run-history.js";
import { QUEUE_OPTIONS } from "../queue-options.js";

async function withHistory<T>(
  opts: { redis?: string; prefix?: string },
  fn: (h: RunHistory) => Promise<T>,
): Promise<T> {
  const q = queueConfig(opts);
  const redis = await connectRedis(q.url);
  try {
    return await fn(new RunHistory(redis, q.keys));
  } finally {
    await redis.quit().catch(() => {});
  }
}

export function registerRunsCommand(program: Command): void {
  const runs = program
    .command("runs")
    .description("history of queued game day runs, newest first (status, verdict, timings)")
    .addOption(QUEUE_OPTIONS.limit())
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .option("--json", "print the records as JSON")
    .action(async (opts) => {
      const records = await withHistory(opts, (h) => h.list(opts.limit));
      if (opts.json) process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
      else if (!records.length) process.stdout.write("no runs yet\n");
      else for (const r of records) printRecordLine(r, process.stdout);
    });
  runs
    .command("show")
    .description("one run: verdict, timings, failing expectations, reverted faults, artifacts")
    .argument("<id>", "a run id from `gameday runs`")
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .option("--json", "print the record as JSON")
    .action(async (id: string, _opts, cmd: Command) => {
      // `runs` has the same options: commander gives them to the parent, wherever they are written.
      const opts = cmd.optsWithGlobals();
      const record = await withHistory(opts, (h) => h.get(id));
      if (!record)
        throw new GamedayError("E_NO_RUN", `no run ${id} (see \`gameday runs\`)`, ExitCode.invalid);
      if (opts.json) process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
      else printRecord(record, process.stdout);
    });
}
