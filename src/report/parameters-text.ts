import type { ParameterValue } from "../experiment/parameter-schema.js";

/** `latency=800ms, toxicity=0.5`: a run's parameters as every report shows them. */
export function parametersText(parameters: Record<string, ParameterValue> | undefined): string | undefined {
  const entries = Object.entries(parameters ?? {});
  return entries.length ? entries.map(([name, value]) => `${name}=${value}`).join(", ") : undefined;
}

/** A journal's `parameters` (read from disk, so checked): names to strings or numbers, at most 64. */
export function parametersOf(value: unknown): Record<string, ParameterValue> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, ParameterValue> = {};
  for (const [name, v] of Object.entries(value).slice(0, 64))
    if (typeof v === "string" || typeof v === "number") out[name] = v;
  return Object.keys(out).length ? out : undefined;
}
