import type { Command } from "commander";
import type { HaltSwitch } from "../../interfaces/halt-switch.js";
import type { RunSummary } from "../../interfaces/run-store.js";
import { redisConfigured } from "../../queue/redis-configured.js";
import { describeHalt, haltStateNow } from "../../safety/halt-state.js";
import { haltSwitchFor } from "../../safety/halt-switch-for.js";
import { LocalRunStore } from "../../store/local-run-store.js";
import { CLI_OPTIONS } from "../cli-options.js";
import { QUEUE_OPTIONS } from "../queue-options.js";

interface SwitchOptions {
  stateDir: string;
  redis?: string;
  prefix?: string;
}

async function withSwitch<T>(opts: SwitchOptions, fn: (halt: HaltSwitch) => Promise<T>): Promise<T> {
  const halt = await haltSwitchFor(opts);
  try {
    return await fn(halt);
  } finally {
    await halt.close();
  }
}

/** What is running now, as far as this command can see: the state folder's runs, and the queue's when Redis is configured. */
async function runningNow(opts: SwitchOptions): Promise<string[]> {
  const local = (await new LocalRunStore(opts.stateDir).list()).filter(
    (r: RunSummary) => r.status === "running",
  );
  const names = local.map((r) => `${r.runId} (${r.experiment})`);
  if (!redisConfigured(opts.redis)) return names;
  const { queueConfig } = await import("../../queue/queue-config.js");
  const { connectRedis } = await import("../../queue/redis-connection.js");
  const { RunHistory } = await import("../../queue/run-history.js");
  const q = queueConfig(opts);
  const redis = await connectRedis(q.url);
  try {
    const queued = (await new RunHistory(redis, q.keys).list(500)).filter((r) => r.status === "running");
    return [...names, ...queued.map((r) => `queue run ${r.id} (${r.name})`)];
  } finally {
    await redis.quit().catch(() => {});
  }
}

/** `gameday halt`: every running run and worker stops its method and rolls back; new runs refuse until `gameday resume`. */
export function registerHaltCommand(program: Command): void {
  program
    .command("halt")
    .description(
      "stop every running run and worker (method stops, every fault rolled back) and refuse new runs until `gameday resume`",
    )
    .addOption(CLI_OPTIONS.haltReason())
    .addOption(CLI_OPTIONS.haltShow())
    .addOption(CLI_OPTIONS.stateDir())
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .action(async (opts: SwitchOptions & { reason?: string; show?: boolean }) => {
      await withSwitch(opts, async (halt) => {
        if (opts.show) {
          const now = await halt.current();
          process.stdout.write(
            now
              ? `${describeHalt(now)} (in ${halt.where})\n`
              : `not halted (${halt.where}): runs may start\n`,
          );
          return;
        }
        const running = await runningNow(opts);
        const state = haltStateNow(opts.reason);
        const previous = await halt.halt(state);
        const out = process.stdout;
        if (previous)
          out.write(`already halted (${describeHalt(previous)}); the reason is now: ${state.reason}\n`);
        else out.write(`${describeHalt(state)} (in ${halt.where})\n`);
        if (running.length)
          out.write(
            `${running.length} running run(s) stop their method and roll back every fault: ${running.join(", ")}\n`,
          );
        else out.write("no run was running; new runs will refuse until `gameday resume`\n");
      });
    });
}

/** `gameday resume`: lifts the halt. */
export function registerResumeCommand(program: Command): void {
  program
    .command("resume")
    .description("lift a `gameday halt`: runs, workers and schedules may start again")
    .addOption(CLI_OPTIONS.stateDir())
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .action(async (opts: SwitchOptions) => {
      await withSwitch(opts, async (halt) => {
        const previous = await halt.resume();
        process.stdout.write(
          previous
            ? `resumed (was ${describeHalt(previous)}): runs may start again\n`
            : `not halted (${halt.where}): nothing to resume, runs may start\n`,
        );
      });
    });
}
