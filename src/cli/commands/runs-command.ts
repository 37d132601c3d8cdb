import type { Command } from "commander";
import { ExitCode, GamedayError } from "../../errors/gameday-error.js";
import { printRecord, printRecordLine } from "../../queue/print-record.js";
import { queueConfig } from "../../queue/queue-config.js";
import { redisConfigured } from "../../queue/redis-configured.js";
import { connectRedis } from "../../queue/redis-connection.js";
import { RunHistory } from "../../queue/run-history.js";
import { buildRunView } from "../../report/run-view.js";
import { LocalRunStore } from "../../store/local-run-store.js";
import { printRunView, printSummaryLine } from "../../store/print-summary.js";
import { CLI_OPTIONS } from "../cli-options.js";
import { QUEUE_OPTIONS } from "../queue-options.js";

interface RunsOptions {
  redis?: string;
  prefix?: string;
  stateDir: string;
  limit: number;
  json?: boolean;
}

/** Redis is read only when configured (--redis or $REDIS_URL); the state folder always. */
const withRedis = (opts: RunsOptions) => redisConfigured(opts.redis);

async function withHistory<T>(opts: RunsOptions, fn: (h: RunHistory) => Promise<T>): Promise<T | undefined> {
  if (!withRedis(opts)) return undefined;
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
    .description(
      "run history, newest first: the state folder's runs, and the queue's runs in Redis when configured",
    )
    .addOption(QUEUE_OPTIONS.limit())
    .addOption(CLI_OPTIONS.stateDir())
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .option("--json", "print as JSON: the queue's records when Redis is configured, else the local runs")
    .option("--local", "only the state folder's runs, even when Redis is configured")
    .action(async (opts: RunsOptions & { local?: boolean }) => {
      const local = (await new LocalRunStore(opts.stateDir).list()).slice(0, opts.limit);
      const queued = opts.local ? undefined : await withHistory(opts, (h) => h.list(opts.limit));
      if (opts.json) {
        // Queue records keep their shape for existing scripts; local runs are RunSummary objects.
        process.stdout.write(`${JSON.stringify(queued ?? local, null, 2)}\n`);
        return;
      }
      if (queued) {
        process.stdout.write(`queue runs (Redis):\n`);
        if (!queued.length) process.stdout.write("  none yet\n");
        for (const r of queued) printRecordLine(r, process.stdout);
        process.stdout.write(`\nlocal runs (${opts.stateDir}):\n`);
      }
      if (!local.length) process.stdout.write(`no runs yet in ${opts.stateDir}\n`);
      for (const r of local) printSummaryLine(r, process.stdout);
    });
  runs
    .command("show")
    .description("one run: a queue run id (Redis) or an experiment run id (state folder)")
    .argument("<id>", "a run id from `gameday runs`")
    .addOption(CLI_OPTIONS.stateDir())
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .option("--json", "print the record as JSON")
    .action(async (id: string, _opts, cmd: Command) => {
      // `runs` has the same options: commander gives them to the parent, wherever they are written.
      const opts = cmd.optsWithGlobals() as RunsOptions;
      const record = await withHistory(opts, (h) => h.get(id));
      if (record) {
        if (opts.json) process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
        else printRecord(record, process.stdout);
        return;
      }
      const local = await new LocalRunStore(opts.stateDir).get(id);
      if (!local?.dir)
        throw new GamedayError(
          "E_NO_RUN",
          `no run ${id} in ${opts.stateDir}${withRedis(opts) ? " or in Redis" : ""} (see \`gameday runs\`)`,
          ExitCode.invalid,
        );
      const view = buildRunView(local.dir, local);
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...local, view }, null, 2)}\n`);
      else printRunView(local, view, process.stdout);
    });
}
