import { Option } from "commander";
import { BREAKS } from "../../sandbox-services/lib/breaks.js";

/** Every CLI option in one table, so help text, defaults and names stay consistent across commands. */
export const CLI_OPTIONS = {
  targets: () =>
    new Option("--targets <file>", "target environments file (default: $GAMEDAY_TARGETS or ./targets.yaml)"),
  stateDir: () => new Option("--state-dir <dir>", "where runs, locks and journals live").default(".gameday"),
  junit: () => new Option("--junit <file>", "write a JUnit XML report of all runs to <file>"),
  report: () => new Option("--report <file>", "write the Markdown report of all runs to <file>"),
  json: () => new Option("--json <file>", "write every run with its journal as JSON to <file>"),
  html: () =>
    new Option("--html <file>", "write one self-contained HTML report (charts) of all runs to <file>"),
  quiet: () => new Option("--quiet", "no live progress, only the verdict lines"),
  failFast: () =>
    new Option(
      "--fail-fast",
      "stop a game day at its first failed experiment even when it says continueOnFailure (quicker CI feedback)",
    ),
  runId: () => new Option("--run <id>", "only the faults of this run id"),
  target: () => new Option("--target <name>", "only this target environment"),
  dryRun: () => new Option("--dry-run", "list what would be reverted without touching it"),
  breaks: () =>
    new Option(
      "--break <countermeasure...>",
      "start the services with a countermeasure switched off (sandbox-services/README.md lists them)",
    ).choices(BREAKS),
  output: () => new Option("-o, --output <file>", "write to <file> instead of stdout"),
  vars: () =>
    new Option(
      "--var <name=value>",
      "set a parameter an experiment declares in spec.parameters (repeatable; wins over --var-file and the default)",
    ).argParser((value: string, previous: string[] = []) => [...previous, value]),
  varFile: () =>
    new Option(
      "--var-file <file>",
      "parameter values from a flat YAML map (latency: 800ms); --var wins over it",
    ),
  haltReason: () => new Option("--reason <text>", "why runs are halted (shown to every refused run)"),
  haltShow: () => new Option("--show", "print the halt in force, if any, and change nothing"),
  rehearse: () =>
    new Option(
      "--rehearse",
      "run preflight, the steady state and every probe once, inject nothing, record nothing; exit 0 when all is well",
    ),
} as const;
