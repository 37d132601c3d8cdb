import { Command, CommanderError } from "commander";
import pc from "picocolors";
import { ExitCode, GamedayError } from "../errors/gameday-error.js";
import { redactProcessOutput } from "../redact/redact.js";
import { ignoreClosedPipe } from "./closed-pipe.js";
import { COMMANDS, commandsFor, type RegisterCommand } from "./command-table.js";
import { withoutHelpForUnknownCommand } from "./unknown-command.js";
import { isVersionOnly, VERSION } from "./version.js";

/**
 * The CLI itself: main.js (the bin) runs it from the bundle, or from here after a bare `tsc`.
 * Importing this module runs the command line in process.argv.
 */
// Before anything can print: every line on stdout and stderr passes through the one redaction function.
redactProcessOutput();
ignoreClosedPipe();

const argv = process.argv.slice(2);

async function main(args: string[]): Promise<void> {
  if (isVersionOnly(args)) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const program = new Command("gameday")
    .description(
      "chaos-engineering game days: typed experiments, a verdict you can trust, rollback that survives a crash",
    )
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError();
  const registers = await Promise.all(
    commandsFor(args).map((name) => (COMMANDS[name] as () => Promise<RegisterCommand>)()),
  );
  for (const register of registers) register(program);
  await program.parseAsync(withoutHelpForUnknownCommand(program, args), { from: "user" });
}

try {
  await main(argv);
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
