import { join } from "node:path";
import { DelayedError, type Job, UnrecoverableError } from "bullmq";
import type { Redis } from "ioredis";
import { ExitCode } from "../errors/gameday-error.js";
import { suiteStopped } from "../experiment/expand-game-days.js";
import type { HaltSwitch } from "../interfaces/halt-switch.js";
import type { ResolvedNotifier } from "../interfaces/notifier.js";
import type { ResolvedTelemetry } from "../interfaces/trace-sink.js";
import { redact } from "../redact/redact.js";
import { JunitReporter } from "../report/junit-reporter.js";
import { MarkdownReporter } from "../report/markdown-reporter.js";
import { bothListeners, RunNotifiers } from "../report/notify/run-notifiers.js";
import { ReporterSet } from "../report/reporter-registry.js";
import { writeRunArtifacts } from "../report/run-artifacts.js";
import { RunTracing } from "../report/trace/run-tracing.js";
import { withTrace } from "../report/trace/trace-reporter.js";
import { runExperiment } from "../run/experiment-runner.js";
import { plannedDuration } from "../run/planned-duration.js";
import type { RunResult } from "../run/run-result.js";
import { combinedExitCode } from "../run/verdict.js";
import { blackoutRefusal } from "../safety/blackout-window.js";
import { describeHalt } from "../safety/halt-state.js";
import type { LoadedTargets } from "../targets/targets-loader.js";
import { experimentOutcome } from "./experiment-outcome.js";
import type { WorkerIdentity } from "./lease-info.js";
import { loadPayload } from "./load-payload.js";
import { progressPublisher } from "./progress-publisher.js";
import type { QueueKeys } from "./queue-keys.js";
import { acquireLocks, endpointLockKeys } from "./redis-locks.js";
import { RedisRunLock } from "./redis-run-lock.js";
import type { RunHistory } from "./run-history.js";
import { RunLease } from "./run-lease.js";
import type { RunRecord } from "./run-record.js";
import { verdictOf } from "./verdict-of.js";
import { withTimeout } from "./with-timeout.js";

export interface WorkerContext {
  redis: Redis;
  keys: QueueKeys;
  history: RunHistory;
  stateDir: string;
  leaseTtlMs: number;
  identity: WorkerIdentity;
  /** The worker's own targets file: the only source of reach (job payloads carry names). */
  targets: LoadedTargets;
  /** Aborted on SIGTERM: runs stop their method and roll back. */
  shutdown: AbortSignal;
  log: (line: string) => void;
  /** `gameday halt`: while in force no job starts (scheduled ticks are skipped); a running one aborts and rolls back. */
  halt?: HaltSwitch | undefined;
  /** The targets file's OTLP telemetry: a trace per run, as `gameday run` exports it (the SDK loads only then). */
  telemetry?: ResolvedTelemetry | undefined;
}

export type JobOutcome = Pick<RunRecord, "id" | "status" | "verdict" | "exitCode" | "reason">;

/** One queued game day on one worker: lease and locks, the experiments in order, the record. */
export async function processGameDay(
  job: Job,
  token: string | undefined,
  ctx: WorkerContext,
): Promise<JobOutcome> {
  const id = String(job.id);
  const existing = await ctx.history.get(id);
  let loaded: ReturnType<typeof loadPayload>;
  try {
    loaded = loadPayload(job.data, ctx.targets);
  } catch (err) {
    // BullMQ keeps the reason in Redis as the job's failedReason.
    const reason = redact((err as Error).message);
    const base = existing ?? baseRecord(id, job, undefined);
    await ctx.history.update(
      id,
      { status: "finished", verdict: "error", exitCode: ExitCode.invalid, reason, endedAt: Date.now() },
      base,
    );
    throw err instanceof UnrecoverableError ? err : new UnrecoverableError(reason);
  }
  const { payload, inputs, notifiers } = loaded;
  for (const line of loaded.unreadableNotifiers) ctx.log(`${id}: notify: ${line}`);
  if (loaded.ignoredTargets)
    ctx.log(`${id}: the job carries a targets text; ignored (this worker uses ${ctx.targets.file})`);
  const base = existing ?? baseRecord(id, job, payload);
  const halted = await ctx.halt?.current();
  const blackout = payload.schedule ? scheduleBlackout(inputs) : undefined;
  /** A schedule's tick that may not run now is skipped and logged, never kept for later (it would fire at a time nobody chose). */
  const skip = async (why: string) => {
    const reason = `skipped: ${why}`;
    ctx.log(`${id}: ${reason}`);
    const now = Date.now();
    const record = {
      status: "skipped",
      verdict: "not-run",
      exitCode: ExitCode.notRun,
      reason,
      startedAt: now,
      endedAt: now,
    } as const;
    await ctx.history.update(id, record, base);
    return { id, status: "skipped" as const, reason };
  };
  if (blackout) return skip(blackout);
  if (halted) {
    const why = describeHalt(halted);
    if (payload.schedule) return skip(why);
    // Kept on the queue, untouched, until `gameday resume`.
    const reason = `waiting: ${why}; \`gameday resume\` lets it start`;
    if (existing?.reason !== reason) await ctx.history.update(id, { status: "waiting", reason }, base);
    await job.moveToDelayed(Date.now() + 1000, token);
    throw new DelayedError();
  }
  const targetNames = [...new Set(inputs.map((i) => i.targetName))];
  // The game day's own lock first, so an overlapping schedule is reported as that, not as a busy target.
  // Targets lock what they reach, as CLI runs with Redis do (src/queue/redis-cli-lock.ts).
  const lockKeys = [
    ...(payload.schedule ? [ctx.keys.lock(`gameday:${payload.name}`)] : []),
    ...endpointLockKeys(ctx.keys, inputs),
  ];
  const controller = new AbortController();
  const stop = () => controller.abort("worker shutting down (SIGTERM)");
  ctx.shutdown.addEventListener("abort", stop, { once: true });
  const lease = new RunLease(
    ctx.redis,
    ctx.keys,
    {
      leaseId: `${id}.${Date.now().toString(36)}`,
      recordId: id,
      name: payload.name,
      worker: ctx.identity,
      targets: targetNames,
      lockKeys,
      ttlMs: ctx.leaseTtlMs,
      openedAt: Date.now(),
    },
    { ttlMs: ctx.leaseTtlMs, onLost: (reason) => controller.abort(`lease lost: ${reason}`) },
  );
  try {
    await lease.open();
    const attempt = await acquireLocks(ctx.redis, lockKeys, lease.id);
    if (!attempt.ok) {
      await lease.close();
      const holder = (await ctx.redis.get(ctx.keys.leaseInfo(attempt.holder))) ?? "";
      const holderRun = /"recordId":"([^"]+)"/.exec(holder)?.[1] ?? attempt.holder;
      if (payload.schedule && attempt.key === lockKeys[0]) {
        const reason = `skipped: the previous run ${holderRun} of game day ${payload.name} is still running`;
        ctx.log(`${id}: ${reason}`);
        await ctx.history.update(
          id,
          {
            status: "skipped",
            verdict: "not-run",
            exitCode: ExitCode.notRun,
            reason,
            endedAt: Date.now(),
            startedAt: Date.now(),
            worker: ctx.identity,
          },
          base,
        );
        return { id, status: "skipped", reason };
      }
      const reason = `waiting for ${attempt.key.slice(ctx.keys.lock("").length)}, held by run ${holderRun}`;
      if (existing?.reason !== reason) await ctx.history.update(id, { status: "waiting", reason }, base);
      await job.updateProgress({ type: "status", status: "waiting", message: reason });
      // Back to the delayed set: the worker's slot is free for runs on other targets meanwhile.
      await job.moveToDelayed(Date.now() + 500 + Math.floor(Math.random() * 500), token);
      throw new DelayedError();
    }
    return await runAll(job, id, base, payload, inputs, notifiers, lease, controller, ctx);
  } finally {
    ctx.shutdown.removeEventListener("abort", stop);
    lease.stop();
  }
}

async function runAll(
  job: Job,
  id: string,
  base: RunRecord,
  payload: ReturnType<typeof loadPayload>["payload"],
  inputs: ReturnType<typeof loadPayload>["inputs"],
  notifiers: ResolvedNotifier[][],
  lease: RunLease,
  controller: AbortController,
  ctx: WorkerContext,
): Promise<JobOutcome> {
  const startedAt = Date.now();
  let record = await ctx.history.update(
    id,
    { status: "running", startedAt, worker: ctx.identity, reason: undefined },
    base,
  );
  ctx.log(`${id}: running ${payload.kind} ${payload.name} (${inputs.length} experiment(s))`);
  const publish = progressPublisher(job);
  const results: RunResult[] = [];
  const suite = { name: payload.name, file: payload.file, continueOnFailure: payload.continueOnFailure };
  const done: { suite: typeof suite; exitCode: number }[] = [];
  const tracing = await RunTracing.open(ctx.telemetry, (line) => ctx.log(`${id}: ${line}`));
  try {
    for (const [i, input] of inputs.entries()) {
      if (controller.signal.aborted) break;
      if (suiteStopped({ file: input.file, suite }, done)) continue;
      const notify = new RunNotifiers(notifiers[i] ?? [], (line) => ctx.log(`${id}: ${line}`));
      // A queued game day's runs are children of one game-day span, as with `gameday run`.
      const trace = tracing?.forRun(payload.kind === "suite" ? suite : undefined);
      const result = await runExperiment({
        ...input,
        stateDir: ctx.stateDir,
        gameDay: payload.kind === "suite" ? payload.name : undefined,
        queueRun: id,
        signal: controller.signal,
        lock: new RedisRunLock(lease, input.targetName),
        onEvent: withTrace(bothListeners(publish.event, notify), trace),
        onProgress: publish.snapshot,
        halt: ctx.halt,
      });
      await Promise.all([writeRunArtifacts(result), notify.onRunEnd(result), trace?.onRunEnd(result)]);
      publish.runEnd(result);
      results.push(result);
      done.push({ suite, exitCode: result.exitCode });
      record = await ctx.history.update(id, { experiments: results.map(experimentOutcome) }, record);
    }
  } finally {
    await Promise.all([publish.flush(), tracing?.close()]);
  }
  const dir = join(ctx.stateDir, "gamedays", id.replace(/[^A-Za-z0-9._-]/g, "_"));
  const artifacts = { report: join(dir, "report.md"), junit: join(dir, "junit.xml") };
  if (results.length)
    await new ReporterSet([
      new MarkdownReporter({ outFile: artifacts.report }),
      new JunitReporter({ outFile: artifacts.junit }),
    ]).onSuiteEnd(results);
  let exitCode = results.length ? combinedExitCode(results) : ExitCode.aborted;
  let reason = summarize(results, inputs.length);
  if (lease.lost) {
    exitCode = ExitCode.error;
    reason = `lease lost (${lease.lost}); the run was stopped and rolled back. ${reason}`;
  } else if (!results.length)
    reason = String(controller.signal.reason ?? "stopped before any experiment ran");
  const remaining = results.flatMap((r) => r.remaining);
  // Ended before its locks go: the next run on the target may start (and record its start) at once.
  const endedAt = Date.now();
  // Redis may be away right now: the record waits in the offline queue, the lease expires by itself.
  await withTimeout(lease.close(), ctx.leaseTtlMs, "releasing the lease").catch((err) =>
    ctx.log(`${id}: ${(err as Error).message}`),
  );
  // BullMQ keeps the outcome in Redis as the job's return value.
  const outcome = {
    id,
    status: "finished" as const,
    verdict: verdictOf(exitCode),
    exitCode,
    reason: redact(reason),
  };
  await ctx.history.update(
    id,
    { ...outcome, endedAt, remaining, artifacts, experiments: results.map(experimentOutcome) },
    record,
  );
  ctx.log(`${id}: ${outcome.verdict} (exit ${exitCode}): ${reason}`);
  return outcome;
}

/** The first blackout refusal among a scheduled job's experiments, judged now with each one's planned duration. */
function scheduleBlackout(inputs: ReturnType<typeof loadPayload>["inputs"]): string | undefined {
  const now = Date.now();
  for (const input of inputs) {
    const refusal = blackoutRefusal(
      input.target.blackouts,
      input.targetName,
      now,
      plannedDuration(input.experiment),
    );
    if (refusal) return refusal;
  }
  return undefined;
}

function summarize(results: RunResult[], planned: number): string {
  const passed = results.filter((r) => r.verdict === "passed").length;
  const notPassed = results
    .filter((r) => r.verdict !== "passed")
    .map((r) => `${r.experiment}: ${r.verdict} (${r.reason})`);
  const skipped = planned - results.length;
  return `${passed}/${planned} experiments passed${skipped ? `, ${skipped} not started` : ""}${notPassed.length ? `; ${notPassed.join("; ")}` : ""}`;
}

function baseRecord(
  id: string,
  job: Job,
  payload:
    | { name: string; kind: "suite" | "experiment"; file: string; schedule?: string | undefined }
    | undefined,
): RunRecord {
  const data = (job.data ?? {}) as Record<string, unknown>;
  return {
    id,
    name: payload?.name ?? String(data.name ?? job.name),
    kind: payload?.kind ?? "experiment",
    file: payload?.file ?? String(data.file ?? "?"),
    ...(payload?.schedule ? { schedule: payload.schedule } : {}),
    status: "queued",
    enqueuedAt: job.timestamp,
    experiments: [],
    reverted: [],
    remaining: [],
  };
}
