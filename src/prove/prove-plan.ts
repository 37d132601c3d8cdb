import { loadInputs, type ResolvedInput } from "../cli/inputs.js";
import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import { matrixNotExpanded } from "../experiment/game-day-matrix.js";
import { loadGameDayText } from "../experiment/gameday-loader.js";
import type { GameDay } from "../experiment/gameday-schema.js";
import { formOf, type Mutant, mutantEnv } from "../experiment/mutant-schema.js";
import { readInputFile } from "../experiment/read-input.js";
import { sortIssues } from "../experiment/validate-source.js";
import { locateKey, locateValue } from "../experiment/yaml-locator.js";
import { parseYamlSource } from "../experiment/yaml-source.js";
import { installationId } from "../run/installation-id.js";
import { envAllowed } from "../targets/mutable-env-schema.js";
import { loadTargets } from "../targets/targets-loader.js";
import type { Target } from "../targets/targets-schema.js";

export interface PlannedMutant {
  mutant: Mutant;
  targetName: string;
  target: Target;
}

export interface ProvePlan {
  file: string;
  gameDay: GameDay;
  inputs: ResolvedInput[];
  mutants: PlannedMutant[];
  targetsFile?: string | undefined;
  /** The id in every mutant's owner tag, as for a run's faults (src/run/installation-id.ts). */
  installation: string;
}

/**
 * Loads a game day for `gameday prove`: the file, its experiments and its mutants against the
 * targets file, the only source of reach. A mutant naming an unknown target, a form the target has
 * no entry for, or a variable its mutableEnv does not allow is an issue at its line (exit 2).
 */
export async function loadProvePlan(file: string, targetsFile?: string): Promise<ProvePlan> {
  const text = await readInputFile(file, "game day file");
  const { gameDay, experimentFiles } = loadGameDayText(text, file);
  const matrix = matrixNotExpanded(text, file, "gameday prove");
  if (matrix) throw new ValidationError([matrix]);
  const inputs = await loadInputs(experimentFiles, targetsFile);
  const targets = await loadTargets(targetsFile);
  const source = parseYamlSource(text, file, "").source;
  const issues: InputIssue[] = [];
  const issue = (i: number, path: (string | number)[], message: string, key = false) => {
    const full = ["spec", "mutants", i, ...path];
    const at = source ? (key ? locateKey(source, full) : locateValue(source, full)) : { line: 1, column: 1 };
    issues.push({
      file,
      line: at.line,
      column: at.column,
      path: `spec.mutants[${i}]${path.map((p) => `.${p}`).join("")}`,
      message,
    });
  };
  if (!gameDay.spec.mutants.length) {
    const at = source ? locateKey(source, ["spec"]) : { line: 1, column: 1 };
    issues.push({
      file,
      line: at.line,
      column: at.column,
      path: "spec.mutants",
      message: "no mutants to prove: add spec.mutants (each removes one countermeasure)",
    });
  }
  const used = [...new Set(inputs.map((i) => i.targetName))];
  const mutants: PlannedMutant[] = [];
  gameDay.spec.mutants.forEach((mutant, i) => {
    const targetName = mutant.target ?? (used.length === 1 ? used[0] : undefined);
    if (targetName === undefined) {
      issue(
        i,
        ["name"],
        `the experiments use targets ${used.join(", ")}: name the one this mutant changes (target:)`,
      );
      return;
    }
    const target = Object.hasOwn(targets.targets.targets, targetName)
      ? targets.targets.targets[targetName]
      : undefined;
    if (!target) {
      issue(
        i,
        ["target"],
        `no target "${targetName}" in ${targets.file} (it has ${Object.keys(targets.targets.targets).join(", ")})`,
      );
      return;
    }
    const form = formOf(mutant);
    const needs = {
      sandbox: Object.keys(target.scrape).length > 0,
      compose: Boolean(target.docker),
      kubernetes: Boolean(target.kubernetes),
    };
    if (!needs[form]) {
      const what = {
        sandbox: "scrape URLs of sandbox services",
        compose: "docker entry",
        kubernetes: "kubernetes entry",
      }[form];
      issue(i, [form], `target "${targetName}" has no ${what}, so a ${form} mutant cannot reach it`, true);
      return;
    }
    for (const name of Object.keys(mutantEnv(mutant)))
      if (!envAllowed(target.mutableEnv, name))
        issue(
          i,
          form === "sandbox" ? ["sandbox", "break"] : [form, "env", name],
          `target "${targetName}" does not allow overriding ${name} (its mutableEnv: ${target.mutableEnv?.join(", ") || "none"}; ${targets.file})`,
          form !== "sandbox",
        );
    mutants.push({ mutant, targetName, target });
  });
  if (issues.length) throw new ValidationError(sortIssues(issues));
  const installation = installationId({ fromTargets: targets.targets.installation });
  return { file, gameDay, inputs, mutants, targetsFile, installation };
}
