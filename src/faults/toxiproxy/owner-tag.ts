import { OWNER_PREFIX } from "../../interfaces/injector.js";

export function hasOwnerPrefix(name: string): boolean {
  return name.startsWith(`${OWNER_PREFIX}.`);
}

/**
 * Splits `gameday.<runId>.<fault>`. Fault names cannot hold a dot (schema), so the fault is after the
 * last dot and a run id may itself contain dots. undefined when the name is ours but not of that shape.
 */
export function parseOwnerTag(name: string): { runId: string; fault: string } | undefined {
  if (!hasOwnerPrefix(name)) return undefined;
  const rest = name.slice(OWNER_PREFIX.length + 1);
  const dot = rest.lastIndexOf(".");
  if (dot <= 0 || dot === rest.length - 1) return undefined;
  return { runId: rest.slice(0, dot), fault: rest.slice(dot + 1) };
}
