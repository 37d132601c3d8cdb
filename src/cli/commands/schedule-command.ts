import type { Command } from "commander";
import { ExitCode, GamedayError } from "../../errors/gameday-error.js";
import { buildPayload } from "../../queue/build-payload.js";
import { queueConfig } from "../../queue/queue-config.js";
import { addSchedule, listSchedules, removeSchedule } from "../../queue/schedules.js";
import { CLI_OPTIONS } from "../cli-options.js";
import { QUEUE_OPTIONS } from "../queue-options.js";

const when = (t: number | undefined) => (t ? new Date(t).toISOString() : "-");

export function registerScheduleCommand(program: Command): void {
  const schedule = program
    .command("schedule")
    .description("run game days on a cron schedule (bullmq job schedulers)");
  schedule
    .command("add")
    .description(
      "create or replace a schedule; the files are validated and stored with it (re-add after editing them)",
    )
    .argument("<name>", "the schedule's name")
    .argument("<file>", "a GameDay or Experiment file")
    .addOption(QUEUE_OPTIONS.cron())
    .addOption(QUEUE_OPTIONS.tz())
    .addOption(CLI_OPTIONS.targets())
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .action(async (name: string, file: string, opts) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(name))
        throw new GamedayError(
          "E_USAGE",
          `invalid schedule name "${name}": letters, digits, ".", "_" and "-"`,
          ExitCode.invalid,
        );
      const payload = await buildPayload(file, { targetsFile: opts.targets, schedule: name });
      let next: number | undefined;
      try {
        next = await addSchedule(queueConfig(opts), name, opts.cron, opts.tz, payload);
      } catch (err) {
        if ((err as GamedayError).code === "E_REDIS") throw err;
        throw new GamedayError(
          "E_USAGE",
          `invalid schedule --cron "${opts.cron}"${opts.tz ? ` --tz ${opts.tz}` : ""}: ${(err as Error).message}`,
          ExitCode.invalid,
        );
      }
      process.stdout.write(
        `schedule ${name}: ${payload.kind} ${payload.name} at "${opts.cron}" ${opts.tz ?? "UTC"}, next ${when(next)}\n`,
      );
    });
  schedule
    .command("list")
    .description("every schedule with its next run")
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .action(async (opts) => {
      const all = await listSchedules(queueConfig(opts));
      if (!all.length) process.stdout.write("no schedules\n");
      for (const s of all)
        process.stdout.write(
          `${s.name}  "${s.cron}" ${s.tz ?? "UTC"}  next ${when(s.next)}  ${s.file ?? ""}\n`,
        );
    });
  schedule
    .command("remove")
    .description("delete a schedule (runs already queued or running are not touched)")
    .argument("<name>")
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .action(async (name: string, opts) => {
      const removed = await removeSchedule(queueConfig(opts), name);
      if (!removed)
        throw new GamedayError(
          "E_NO_SCHEDULE",
          `no schedule named "${name}" (see \`gameday schedule list\`)`,
          ExitCode.invalid,
        );
      process.stdout.write(`schedule ${name} removed\n`);
    });
}
