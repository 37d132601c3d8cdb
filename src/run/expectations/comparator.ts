import type { SteadyStateCheck } from "../../experiment/schema.js";

export type ComparatorFields = Pick<SteadyStateCheck, "below" | "above" | "atMost" | "atLeast" | "equals">;

// Gauges come back as floats through PromQL; equality within a tiny tolerance is what users mean.
const EPSILON = 1e-9;

export function holds(c: ComparatorFields, value: number): boolean {
  if (c.below !== undefined) return value < c.below;
  if (c.above !== undefined) return value > c.above;
  if (c.atMost !== undefined) return value <= c.atMost + EPSILON;
  if (c.atLeast !== undefined) return value >= c.atLeast - EPSILON;
  if (c.equals !== undefined) return Math.abs(value - c.equals) <= EPSILON;
  return false;
}

export function describeComparator(c: ComparatorFields): string {
  if (c.below !== undefined) return `< ${c.below}`;
  if (c.above !== undefined) return `> ${c.above}`;
  if (c.atMost !== undefined) return `<= ${c.atMost}`;
  if (c.atLeast !== undefined) return `>= ${c.atLeast}`;
  if (c.equals !== undefined) return `== ${c.equals}`;
  return "(no comparator)";
}

export function formatValue(v: number | undefined): string {
  if (v === undefined) return "no data";
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) < 1 ? v.toFixed(4) : v.toFixed(2);
}
