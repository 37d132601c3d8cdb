#!/usr/bin/env node
import type { Command as CommandType } from "commander";
import { Command, CommanderError } from "commander";
import pc from "picocolors";
import { ExitCode, GamedayError } from "../errors/gameday-error.js";
import { redactProcessOutput } from "../redact/redact.js";
import { ignoreClosedPipe } from "./closed-pipe.js";
import { withoutHelpForUnknownCommand } from "./unknown-command.js";

type Register = (program: CommandType) => void;

// Before anything can print: every line on stdout and stderr passes through the one redaction function.
redactProcessOutput();

/**
 * Commands by name, loaded on demand: importing all of them (bullmq, dockerode, the Kubernetes
 * client, ...) costs a second and ~100 MB before anything runs. Help loads them all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  run: async () => (await import("./commands/run-command.js")).registerRunCommand,
  validate: async () => (await import("./commands/validate-command.js")).registerValidateCommand,
  plan: async () => (await import("./commands/plan-command.js")).registerPlanCommand,
  schema: async () => (await import("./commands/schema-command.js")).registerSchemaCommand,
  recover: async () => (await import("./commands/recover-command.js")).registerRecoverCommand,
  sandbox: async () => (await import("./commands/sandbox-command.js")).registerSandboxCommand,
  enqueue: async () => (await import("./commands/enqueue-command.js")).registerEnqueueCommand,
  worker: async () => (await import("./commands/worker-command.js")).registerWorkerCommand,
  schedule: async () => (await import("./commands/schedule-command.js")).registerScheduleCommand,
  runs: async () => (await import("./commands/runs-command.js")).registerRunsCommand,
  prove: async () => (await import("./commands/prove-command.js")).registerProveCommand,
  halt: async () => (await import("./commands/halt-command.js")).registerHaltCommand,
  resume: async () => (await import("./commands/halt-command.js")).registerResumeCommand,
  console: async () => (await import("./commands/console-command.js")).registerConsoleCommand,
  drill: async () => (await import("./commands/drill-command.js")).registerDrillCommand,
};

ignoreClosedPipe();

const program = new Command("gameday")
  .description(
    "chaos-engineering game days: typed experiments, a verdict you can trust, rollback that survives a crash",
  )
  .version("0.1.0")
  .exitOverride()
  .showHelpAfterError();

const named = process.argv.slice(2).find((a) => !a.startsWith("-"));
const wanted = named !== undefined && named in COMMANDS ? [named] : Object.keys(COMMANDS);
for (const name of wanted) (await (COMMANDS[name] as () => Promise<Register>)())(program);

try {
  const args = withoutHelpForUnknownCommand(program, process.argv.slice(2));
  await program.parseAsync(args, { from: "user" });
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; every other usage error is "invalid input".
    process.exitCode = err.exitCode === 0 ? 0 : ExitCode.invalid;
  } else if (err instanceof GamedayError) {
    process.stderr.write(`${pc.red(`gameday: ${err.code}`)}\n${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`${pc.red("gameday: unexpected error")}\n${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = ExitCode.error;
  }
}
