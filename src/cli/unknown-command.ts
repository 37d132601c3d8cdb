import type { Command } from "commander";

const HELP_FLAGS = new Set(["-h", "--help"]);

/** The subcommand of `cmd` named `word` (by name or alias), if any. */
function subcommand(cmd: Command, word: string): Command | undefined {
  return cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
}

/**
 * `gameday bogus --help` would print the main help and exit 0, hiding the typo from a script.
 * When the command words name no command, drop the help flags so commander reports the unknown
 * command (a usage error, exit 2). Only the leading words are looked at: after a leaf command,
 * words are its arguments. `help` stays commander's own.
 */
export function withoutHelpForUnknownCommand(program: Command, args: string[]): string[] {
  let cmd = program;
  for (const word of args) {
    if (word.startsWith("-")) {
      // An option of a command that has subcommands ends the walk: its value is not a command word.
      if (HELP_FLAGS.has(word)) continue;
      return args;
    }
    if (!cmd.commands.length || word === "help") return args;
    const next = subcommand(cmd, word);
    if (!next) return args.filter((a) => !HELP_FLAGS.has(a));
    cmd = next;
  }
  return args;
}
