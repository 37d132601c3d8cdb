import { z } from "zod";

/**
 * Which environment variables a mutant (or a config drift) may set on this target's services: names
 * or prefixes ending in `*`. Empty (the default) means no configuration change is allowed at all.
 */
export const mutableEnvSchema = z
  .array(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\*?$/, {
      error: 'expected a variable name or a prefix ending in "*", e.g. SANDBOX_*',
    }),
  )
  .optional()
  .describe("environment variables mutants may override (names, or prefixes ending in *)");

/** Absent (optional, so code building a Target by hand need not name it) means none. */
export function envAllowed(patterns: readonly string[] | undefined, name: string): boolean {
  return (patterns ?? []).some((p) => (p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : p === name));
}
