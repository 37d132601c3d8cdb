import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { applyControl, controlChannel } from "../run/control/apply-control.js";
import { AnyHaltSwitch } from "../safety/any-halt-switch.js";
import { FolderHaltSwitch } from "../safety/folder-halt-switch.js";
import { describeHalt } from "../safety/halt-state.js";
import { RedisHaltSwitch } from "../safety/redis-halt-switch.js";
import { checkNotifierSecrets } from "../targets/check-notifier-secrets.js";
import type { LoadedTargets } from "../targets/targets-loader.js";
import { resolveTelemetry } from "../targets/telemetry-credentials.js";
import { processGameDay, type WorkerContext } from "./game-day-processor.js";
import { LeaseJanitor } from "./lease-janitor.js";
import type { QueueConfig } from "./queue-config.js";
import { connectRedis, redisClient } from "./redis-connection.js";
import { RunHistory } from "./run-history.js";

export interface WorkerOptions {
  concurrency: number;
  stateDir: string;
  leaseTtlMs: number;
  janitorIntervalMs: number;
  /** The worker's own targets file: what jobs may reach, by name. */
  targets: LoadedTargets;
  installation: string;
  log: (line: string) => void;
}

export interface RunningWorker {
  id: string;
  /** Stops taking jobs, stops running methods (they roll back) and waits for every job to end. */
  close(): Promise<void>;
}

/**
 * A bullmq worker running queued game days, plus the janitor that reverts the faults of runs whose
 * worker died. Every worker is a janitor: the first to see an expired lease reaps it.
 */
export async function startWorker(q: QueueConfig, opts: WorkerOptions): Promise<RunningWorker> {
  // Before Redis: a notifier secret that cannot be read is the worker's input error (exit 2), not every job's.
  checkNotifierSecrets(opts.targets);
  // Its telemetry header secrets too: read once here, a trace per run of every job.
  const telemetry = resolveTelemetry(opts.targets);
  const redis: Redis = await connectRedis(q.url);
  const identity = {
    id: `${hostname()}:${process.pid}:${randomBytes(2).toString("hex")}`,
    host: hostname(),
    pid: process.pid,
  };
  const history = new RunHistory(redis, q.keys);
  const shutdown = new AbortController();
  // The queue's halt and this machine's state folder's: either stops this worker's runs.
  const halt = new AnyHaltSwitch([new RedisHaltSwitch(q.url, q.keys), new FolderHaltSwitch(opts.stateDir)]);
  const stopHaltLog = halt.watch((h) =>
    opts.log(`worker: ${describeHalt(h)}; running jobs roll back, queued jobs wait for \`gameday resume\``),
  );
  const ctx: WorkerContext = {
    redis,
    keys: q.keys,
    history,
    stateDir: opts.stateDir,
    leaseTtlMs: opts.leaseTtlMs,
    identity,
    targets: opts.targets,
    shutdown: shutdown.signal,
    log: opts.log,
    halt,
    telemetry,
  };
  const bullConnection = redisClient(q.url);
  bullConnection.on("error", () => {});
  const worker = new Worker(q.keys.queueName, (job, token) => processGameDay(job, token, ctx), {
    connection: bullConnection,
    prefix: q.prefix,
    concurrency: opts.concurrency,
    // A job whose worker died is not run again by bullmq: the janitor reverts it and records an error.
    maxStalledCount: 0,
  });
  worker.on("failed", (job, err) => opts.log(`${job?.id ?? "?"}: job failed: ${err.message}`));
  let redisDown = false;
  worker.on("error", (err) => {
    if (!redisDown) opts.log(`worker: ${err.message} (retrying)`);
    redisDown = true;
  });
  redis.on("ready", () => {
    if (redisDown) opts.log(`worker: reconnected to Redis at ${q.url}`);
    redisDown = false;
  });

  // The console's abort of a run on this worker: the run's own abort request file (as on SIGINT).
  const control = redis.duplicate();
  control.on("error", () => {});
  control.on("message", (_channel: string, raw: string) => {
    const runId = applyControl(raw, opts.stateDir);
    if (runId) opts.log(`${runId}: abort requested from the console`);
  });
  await control.subscribe(controlChannel(q.prefix)).catch(() => {});

  const janitor = new LeaseJanitor(
    redis,
    q.keys,
    history,
    identity.id,
    { targets: opts.targets, installation: opts.installation },
    opts.log,
  );
  let sweeping = false;
  const sweep = async () => {
    if (sweeping || redis.status !== "ready") return;
    sweeping = true;
    try {
      await janitor.sweep();
    } catch (err) {
      opts.log(`janitor: ${(err as Error).message}`);
    } finally {
      sweeping = false;
    }
  };
  const timer = setInterval(() => void sweep(), opts.janitorIntervalMs);
  void sweep();
  await worker.waitUntilReady();
  opts.log(
    `worker ${identity.id} ready: concurrency ${opts.concurrency}, queue ${q.prefix}/${q.keys.queueName} on ${q.url}, targets ${opts.targets.file}, installation ${opts.installation}`,
  );

  return {
    id: identity.id,
    close: async () => {
      shutdown.abort();
      clearInterval(timer);
      stopHaltLog();
      await worker.close();
      while (sweeping) await new Promise((r) => setTimeout(r, 50));
      await bullConnection.quit().catch(() => {});
      await control.quit().catch(() => {});
      await halt.close();
      await redis.quit().catch(() => {});
    },
  };
}
