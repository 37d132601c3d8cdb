import { randomInt } from "node:crypto";

/** The selection fields every family shares (docker containers, kubernetes pods). */
export interface SelectionMode {
  mode: "one" | "all" | "fixed" | "percent";
  count?: number | undefined;
  percent?: number | undefined;
}

/** How many of `matched` targets a mode asks for, before any family-specific ceiling. */
export function wantedCount(spec: SelectionMode, matched: number): number {
  if (spec.mode === "one") return 1;
  if (spec.mode === "all") return matched;
  if (spec.mode === "fixed") return spec.count ?? 1;
  return Math.max(1, Math.ceil((matched * (spec.percent ?? 100)) / 100));
}

/** A random `n` of the items (Fisher-Yates on a copy), so game days do not always hit the same one. */
export function takeRandom<T>(items: readonly T[], n: number): T[] {
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, n);
}
