import { OWNER_PREFIX } from "../interfaces/injector.js";

export interface ParsedOwnerTag {
  installation?: string | undefined;
  runId: string;
  fault: string;
}

/** Installation ids are label values without dots, so a tag splits unambiguously. */
export const INSTALLATION_PATTERN = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;

export function hasOwnerPrefix(name: string): boolean {
  return name.startsWith(`${OWNER_PREFIX}.`);
}

/**
 * Splits `gameday.<installation>.<runId>.<fault>` (three parts) or the older `gameday.<runId>.<fault>`
 * (two parts). Fault names, run ids and installation ids hold no dot, so the count of dots decides.
 * undefined when the name starts with our prefix but has neither shape.
 */
export function parseOwnerTag(name: string): ParsedOwnerTag | undefined {
  if (!hasOwnerPrefix(name)) return undefined;
  const parts = name.slice(OWNER_PREFIX.length + 1).split(".");
  if (parts.some((p) => p.length === 0)) return undefined;
  if (parts.length === 2) return { runId: parts[0] as string, fault: parts[1] as string };
  if (parts.length === 3 && INSTALLATION_PATTERN.test(parts[0] as string))
    return { installation: parts[0], runId: parts[1] as string, fault: parts[2] as string };
  return undefined;
}
