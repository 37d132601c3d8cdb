import { join } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import pc from "picocolors";
import { ExitCode } from "../../errors/gameday-error.js";
import { HaltedError } from "../../errors/halted-error.js";
import { loadProvePlan } from "../../prove/prove-plan.js";
import { proveGameDay } from "../../prove/prove-runner.js";
import { MATRIX_REPORTERS } from "../../prove/reporters/matrix-reporters.js";
import { cellMark, headline } from "../../prove/reporters/matrix-text.js";
import { describeHalt } from "../../safety/halt-state.js";
import { haltSwitchFor } from "../../safety/halt-switch-for.js";
import { CLI_OPTIONS } from "../cli-options.js";

const positiveInt = (what: string) => (raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 16)
    throw new InvalidArgumentError(`${what}: expected an integer 1..16`);
  return n;
};

/** SIGINT/SIGTERM: the current run rolls back, the applied mutant is reverted, then prove exits 3. */
function trapSignals(controller: AbortController, log: (s: string) => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      log(`\n${signal} received: rolling back the run and reverting the mutant`);
      controller.abort(`signal ${signal}`);
    } else log(`${signal} again: the revert is in progress and will finish first`);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

export function registerProveCommand(program: Command): void {
  program
    .command("prove")
    .description(
      "mutation analysis of a game day: run it healthy, then once per spec.mutants entry, and print the kill matrix (0 every mutant killed, 1 survivors)",
    )
    .argument("<gameday>", "a GameDay file with spec.mutants")
    .addOption(CLI_OPTIONS.targets())
    .addOption(CLI_OPTIONS.stateDir())
    .addOption(
      new Option(
        "--full-matrix",
        "run every experiment under every mutant (default: stop at the first failed check)",
      ),
    )
    .addOption(
      new Option(
        "--parallel <n>",
        "sandbox mutants at once, each in an isolated sandbox instance on its own ports",
      )
        .argParser(positiveInt("--parallel"))
        .default(1),
    )
    .addOption(
      new Option("--port-step <n>", "port distance between isolated instances")
        .argParser((raw) => {
          const n = Number(raw);
          if (!Number.isInteger(n) || n < 20 || n > 5000)
            throw new InvalidArgumentError("--port-step: expected 20..5000");
          return n;
        })
        .default(100),
    )
    .addOption(new Option("--junit <file>", "write the kill matrix as JUnit XML (one testcase per mutant)"))
    .addOption(new Option("--report <file>", "write the kill matrix as Markdown"))
    .addOption(new Option("--json <file>", "write the kill matrix as JSON"))
    .action(async (file: string, opts) => {
      const plan = await loadProvePlan(file, opts.targets);
      // `gameday halt` in force: refused before any mutant is applied. Set later, it stops prove
      // as SIGINT does: the run rolls back, the applied mutant is reverted, exit 3.
      const halt = await haltSwitchFor({ stateDir: opts.stateDir });
      const haltedNow = await halt.current();
      if (haltedNow) {
        await halt.close();
        throw new HaltedError(haltedNow, halt.where);
      }
      const controller = new AbortController();
      const log = (s: string) => process.stderr.write(`${s}\n`);
      const untrap = trapSignals(controller, log);
      const unwatch = halt.watch((state) => {
        if (controller.signal.aborted) return;
        log(`${describeHalt(state)}: rolling back the run and reverting the mutant`);
        controller.abort(describeHalt(state));
      });
      let matrix: Awaited<ReturnType<typeof proveGameDay>>;
      try {
        matrix = await proveGameDay(plan, {
          stateDir: opts.stateDir,
          fullMatrix: Boolean(opts.fullMatrix),
          parallel: opts.parallel,
          portStep: opts.portStep,
          signal: controller.signal,
          log,
        });
      } finally {
        untrap();
        unwatch();
        await halt.close();
      }
      const dir = join(opts.stateDir, "prove", matrix.proveId);
      const outFiles = {
        markdown: [join(dir, "kill-matrix.md"), opts.report],
        json: [join(dir, "kill-matrix.json"), opts.json],
        junit: [join(dir, "kill-matrix.xml"), opts.junit],
      } as const;
      for (const [name, files] of Object.entries(outFiles))
        for (const outFile of files)
          if (outFile)
            await new MATRIX_REPORTERS[name as keyof typeof outFiles]({ outFile }).onProveEnd(matrix);
      const out = process.stdout;
      if (matrix.mutants.length) {
        out.write(
          `\nkill matrix of ${matrix.gameDay} (${matrix.fullMatrix ? "full" : "first failure per mutant"}):\n`,
        );
        for (const m of matrix.mutants)
          out.write(
            `  ${m.status === "killed" ? pc.green("killed  ") : m.status === "survived" ? pc.red("SURVIVED") : pc.red("ERROR   ")} ${m.mutant}: ${m.reason}\n`,
          );
        for (const row of matrix.rows.filter((r) =>
          matrix.mutants.some((m) => cellMark(matrix, m.mutant, r.id) === "KILLED"),
        ))
          out.write(
            pc.dim(
              `  ${row.id}: killed ${matrix.mutants
                .filter((m) => m.cells[row.id] === "killed")
                .map((m) => m.mutant)
                .join(", ")}\n`,
            ),
          );
      }
      for (const line of headline(matrix)) out.write(`${line}\n`);
      if (matrix.remaining.length)
        out.write(
          pc.red(pc.bold(`MAY REMAIN APPLIED: ${matrix.remaining.join("; ")} — run gameday recover\n`)),
        );
      out.write(pc.dim(`kill matrix: ${dir}/kill-matrix.{md,json,xml}\n`));
      process.exitCode = matrix.exitCode === ExitCode.passed ? 0 : matrix.exitCode;
    });
}
