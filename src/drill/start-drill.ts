import pc from "picocolors";
import { ExitCode, ValidationError } from "../errors/gameday-error.js";
import { HaltedError } from "../errors/halted-error.js";
import { parseDuration } from "../experiment/duration.js";
import { declaredName } from "../experiment/gameday-loader.js";
import { readInputFile } from "../experiment/read-input.js";
import { haltSwitchFor } from "../safety/halt-switch-for.js";
import { loadTargets, resolveTarget } from "../targets/targets-loader.js";
import { catalogueFiles, loadDrillText, scenarioFile } from "./drill-loader.js";
import { seededRandom } from "./drill-plan.js";
import { type DrillOutcome, runDrill } from "./drill-runner.js";

export interface StartDrillCli {
  file?: string | undefined;
  random?: boolean | undefined;
  scenario?: string | undefined;
  catalogue: string;
  seed?: string | undefined;
  responders: string;
  timeLimit?: string | undefined;
  window?: string | undefined;
  port?: string | undefined;
  targets?: string | undefined;
  stateDir: string;
  sandboxDir: string;
  keepView?: boolean | undefined;
}

const usage = (path: string, message: string) =>
  new ValidationError([{ file: "command line", path, message }]);

function durationOption(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw usage(name, `expected a duration such as 90s or 2m, found "${text.slice(0, 40)}"`);
  return ms;
}

/** `--window 5s..10s` */
function windowOption(text: string | undefined): { fromMs: number; toMs: number } | undefined {
  if (text === undefined) return undefined;
  const [a, b] = text.split("..");
  const fromMs = a === undefined ? undefined : parseDuration(a);
  const toMs = b === undefined ? undefined : parseDuration(b);
  if (fromMs === undefined || toMs === undefined || toMs < fromMs)
    throw usage("--window", `expected <from>..<to> such as 5s..20s, found "${text.slice(0, 40)}"`);
  return { fromMs, toMs };
}

/** Which drill file: the one given, the named scenario of the catalogue, or a (seeded) random one. */
async function chooseFile(o: StartDrillCli, seed: number): Promise<string> {
  const given = [o.file !== undefined, Boolean(o.random), o.scenario !== undefined].filter(Boolean).length;
  if (given !== 1)
    throw usage("<file>", "expected exactly one of a drill file, --random or --scenario <name>");
  if (o.file) return o.file;
  const files = catalogueFiles(o.catalogue);
  if (o.random) return files[Math.floor(seededRandom(seed ^ 0x5eed)() * files.length)] as string;
  const names = new Map<string, string>();
  for (const f of files) {
    const base = f.replace(/^.*\//, "").replace(/\.ya?ml$/, "");
    names.set(base, f);
    const declared = declaredName(await readInputFile(f, "drill file"));
    if (declared) names.set(declared, f);
  }
  return scenarioFile(o.catalogue, o.scenario as string, names);
}

/** --keep-view: the results stay on the responders' pages until Ctrl-C (or SIGTERM). */
async function keepViewUp(view: { url: string; close(): Promise<void> }): Promise<void> {
  process.stdout.write(`the drill view stays up with the results at ${view.url}/play (Ctrl-C closes it)\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await view.close();
}

export async function startDrillCommand(o: StartDrillCli): Promise<number> {
  const seed = o.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(o.seed);
  if (!Number.isInteger(seed)) throw usage("--seed", "expected an integer");
  const responders = o.responders
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  if (
    !responders.length ||
    responders.some((r) => !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/.test(r)) ||
    new Set(responders).size !== responders.length
  )
    throw usage(
      "--responders",
      "expected distinct responder names (letters, digits, _ . -), comma separated",
    );
  const timeLimitMs = durationOption(o.timeLimit, "--time-limit");
  const window = windowOption(o.window);
  if (timeLimitMs !== undefined && window && window.toMs >= timeLimitMs)
    throw usage("--window", "expected the window to end before the time limit");
  const port = o.port === undefined ? 0 : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usage("--port", "expected a port number");
  const file = await chooseFile(o, seed);
  const targets = await loadTargets(o.targets);
  const loaded = loadDrillText(await readInputFile(file, "drill file"), file, { targets });
  const target = resolveTarget(targets, loaded.drill.spec.target, file);
  // `gameday halt` in force: refused before anything starts; the drill's run watches it after.
  const halt = await haltSwitchFor({ stateDir: o.stateDir });
  const haltedNow = await halt.current();
  if (haltedNow) {
    await halt.close();
    throw new HaltedError(haltedNow, halt.where);
  }
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: ending the drill and rolling back\n`);
    controller.abort(`signal ${signal}`);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  let outcome: DrillOutcome;
  try {
    outcome = await runDrill({
      loaded,
      targetName: loaded.drill.spec.target,
      target,
      stateDir: o.stateDir,
      responders,
      seed,
      timeLimitMs,
      window,
      port,
      sandboxDir: o.sandboxDir,
      signal: controller.signal,
      halt,
      keepView: o.keepView,
      log: (l) => process.stderr.write(`${l}\n`),
      onReady: ({ id, url }) =>
        process.stdout.write(
          `drill ${id} started (${responders.join(", ")}); responder API ${url}\n` +
            `  gameday drill play --as ${responders[0]}   (the drill view in a browser)\n` +
            `  gameday drill view --as ${responders[0]}   |   ack | note | mitigate | answer | logs | status | stop\n`,
        ),
    });
  } finally {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
    await halt.close();
  }
  const colour = outcome.exitCode === ExitCode.passed ? pc.green : pc.red;
  process.stdout.write(`${colour(outcome.reason)}\n`);
  for (const s of outcome.score.leaderboard)
    process.stdout.write(
      `  ${s.rank}. ${s.responder}: ${s.answer ? `${s.answer.component} / ${s.answer.mechanism} / ${s.answer.trigger}` : "no answer"} ${s.rootCauseCorrect ? pc.green("correct") : pc.red("wrong")}${s.answerMs !== undefined ? ` after ${(s.answerMs / 1000).toFixed(1)} s` : ""}\n`,
    );
  process.stdout.write(`report: ${outcome.reports.markdown} and ${outcome.reports.html}\n`);
  if (outcome.view) await keepViewUp(outcome.view);
  return outcome.exitCode;
}
