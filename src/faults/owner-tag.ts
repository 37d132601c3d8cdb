import { OWNER_PREFIX } from "../interfaces/injector.js";

export interface ParsedOwnerTag {
  installation?: string | undefined;
  runId: string;
  fault: string;
}

/** Installation ids are label values without dots, so a tag splits unambiguously. */
export const INSTALLATION_PATTERN = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;

/** `gameday@<installation>.` (this version) or `gameday.` (tags written before installation ids). */
export function hasOwnerPrefix(name: string): boolean {
  return name.startsWith(`${OWNER_PREFIX}.`) || name.startsWith(`${OWNER_PREFIX}@`);
}

/**
 * Splits `gameday@<installation>.<runId>.<fault>` or the older `gameday.<runId>.<fault>`. Fault names
 * and installation ids hold no dot, so the installation ends at the first dot, the fault starts after
 * the last, and a run id may itself contain dots. undefined when the name starts with our prefix but
 * has neither shape.
 */
export function parseOwnerTag(name: string): ParsedOwnerTag | undefined {
  if (!hasOwnerPrefix(name)) return undefined;
  let rest = name.slice(OWNER_PREFIX.length + 1);
  let installation: string | undefined;
  if (name[OWNER_PREFIX.length] === "@") {
    const dot = rest.indexOf(".");
    installation = rest.slice(0, dot);
    if (dot <= 0 || !INSTALLATION_PATTERN.test(installation)) return undefined;
    rest = rest.slice(dot + 1);
  }
  const dot = rest.lastIndexOf(".");
  if (dot <= 0 || dot === rest.length - 1) return undefined;
  return { installation, runId: rest.slice(0, dot), fault: rest.slice(dot + 1) };
}
