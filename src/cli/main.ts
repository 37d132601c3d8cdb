#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import pc from "picocolors";
import { ExitCode, GamedayError } from "../errors/gameday-error.js";
import { registerPlanCommand } from "./commands/plan-command.js";
import { registerRecoverCommand } from "./commands/recover-command.js";
import { registerRunCommand } from "./commands/run-command.js";
import { registerSandboxCommand } from "./commands/sandbox-command.js";
import { registerSchemaCommand } from "./commands/schema-command.js";
import { registerValidateCommand } from "./commands/validate-command.js";

const program = new Command("gameday")
  .description(
    "chaos-engineering game days: typed experiments, a verdict you can trust, rollback that survives a crash",
  )
  .version("0.1.0")
  .exitOverride()
  .showHelpAfterError();

for (const register of [
  registerRunCommand,
  registerValidateCommand,
  registerPlanCommand,
  registerSchemaCommand,
  registerRecoverCommand,
  registerSandboxCommand,
]) {
  register(program);
}

try {
  await program.parseAsync(process.argv);
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
