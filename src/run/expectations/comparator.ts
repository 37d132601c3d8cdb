import { amountIn, QUANTITIES, type Quantity, quantityOf } from "../../experiment/metric-quantity.js";
import { COMPARATORS } from "../../experiment/metric-schema.js";
import type { SteadyStateCheck } from "../../experiment/schema.js";
import type { Threshold } from "../../experiment/threshold.js";
import type { ResolvedThreshold, ThresholdOperator } from "../../interfaces/expectation.js";

export type ComparatorFields = Pick<SteadyStateCheck, "below" | "above" | "atMost" | "atLeast" | "equals">;
export type Operator = ThresholdOperator;

const SYMBOL: Record<Operator, string> = {
  below: "<",
  above: ">",
  atMost: "<=",
  atLeast: ">=",
  equals: "==",
};
/** The symbol of the opposite relation, for "312 ms > 123 ms" when `below: 123ms` broke. */
const BROKEN: Record<Operator, string> = {
  below: ">=",
  above: "<=",
  atMost: ">",
  atLeast: "<",
  equals: "!=",
};

// Gauges come back as floats through PromQL; equality within a tiny tolerance is what users mean.
const EPSILON = 1e-9;

export function formatValue(v: number | undefined): string {
  if (v === undefined) return "no data";
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) < 1 ? v.toFixed(4) : v.toFixed(2);
}

/** A value with its quantity's unit: "312 ms", "0.0123", "42.50 req/s". */
export function formatIn(v: number | undefined, q: Quantity): string {
  if (v === undefined) return "no data";
  if (q === "latency") return `${Math.abs(v) >= 10 ? Math.round(v) : Number(v.toFixed(1))} ms`;
  return `${formatValue(v)}${QUANTITIES[q].suffix}`;
}

/**
 * One comparator of a check, bound to the quantity of its metric. A relative threshold stays
 * unresolved until the run's baseline is known (`setBaseline`).
 */
export class Comparison {
  private baselineValue: number | undefined;

  constructor(
    readonly operator: Operator,
    readonly threshold: Threshold,
    readonly quantity: Quantity,
  ) {}

  /** The single comparator of a check (the schema guarantees exactly one). */
  static of(fields: ComparatorFields & Parameters<typeof quantityOf>[0], quantity?: Quantity): Comparison {
    const operator = COMPARATORS.find((k) => fields[k] !== undefined);
    if (!operator) throw new Error("no comparator (the schema requires one)");
    return new Comparison(
      operator,
      fields[operator] as Threshold,
      quantity ?? quantityOf(fields) ?? "prometheus",
    );
  }

  get relative(): boolean {
    return this.threshold.kind === "relative";
  }

  get baseline(): number | undefined {
    return this.baselineValue;
  }

  setBaseline(value: number | undefined): void {
    this.baselineValue = value;
  }

  /** The threshold in the metric's unit; undefined for a relative one without a baseline. */
  limit(): number | undefined {
    const t = this.threshold;
    if (t.kind === "absolute") return amountIn(t.amount, this.quantity);
    if (this.baselineValue === undefined) return undefined;
    return t.factor * this.baselineValue + (t.offset ? amountIn(t.offset, this.quantity) : 0);
  }

  /** A relative threshold without a baseline never holds: the run could not tell what normal was. */
  holds(value: number): boolean {
    const limit = this.limit();
    if (limit === undefined) return false;
    switch (this.operator) {
      case "below":
        return value < limit;
      case "above":
        return value > limit;
      case "atMost":
        return value <= limit + EPSILON;
      case "atLeast":
        return value >= limit - EPSILON;
      case "equals":
        return Math.abs(value - limit) <= EPSILON;
    }
  }

  /** How far a value is on the wrong side (0 when it holds): picks the worst sample. */
  badness(value: number): number {
    const limit = this.limit();
    if (limit === undefined) return 0;
    if (this.operator === "below" || this.operator === "atMost") return value - limit;
    if (this.operator === "above" || this.operator === "atLeast") return limit - value;
    return Math.abs(value - limit);
  }

  format(v: number | undefined): string {
    return formatIn(v, this.quantity);
  }

  /** A threshold reads as written: 0.01 stays 0.01 (a sample would show 0.0100). */
  private formatLimit(v: number | undefined): string {
    if (v === undefined || this.quantity === "latency") return this.format(v);
    return `${Number(v.toPrecision(6))}${QUANTITIES[this.quantity].suffix}`;
  }

  /** "< 600 ms", "< 1% (0.01)", "> 3x baseline (3 x 41 ms = 123 ms)". */
  describe(): string {
    const t = this.threshold;
    const sym = SYMBOL[this.operator];
    if (t.kind === "absolute") {
      const v = this.formatLimit(this.limit());
      return t.amount.unit === "number" || v.replace(/\s/g, "") === t.text
        ? `${sym} ${v}`
        : `${sym} ${t.text} (${v})`;
    }
    if (this.baselineValue === undefined) return `${sym} ${t.text} (no baseline measured)`;
    const parts = [`${t.factor === 1 ? "" : `${t.factor} x `}${this.format(this.baselineValue)}`];
    if (t.offset) {
      const off = amountIn(t.offset, this.quantity);
      parts.push(`${off < 0 ? "-" : "+"} ${this.formatLimit(Math.abs(off))}`);
    }
    return `${sym} ${t.text} (${parts.join(" ")} = ${this.formatLimit(this.limit())})`;
  }

  /** Before a run (gameday plan): "< 600 ms", "< 3x baseline (of the steady state before)". */
  describePlanned(): string {
    if (!this.relative) return this.describe();
    return `${SYMBOL[this.operator]} ${this.threshold.text} (of the steady state before)`;
  }

  /** "312 ms >= 123 ms": a broken comparison, with the resolved threshold. */
  describeBreak(value: number): string {
    return `${this.format(value)} ${BROKEN[this.operator]} ${this.formatLimit(this.limit())}`;
  }

  resolved(): ResolvedThreshold {
    return {
      operator: this.operator,
      written: this.threshold.text,
      value: this.limit(),
      ...(this.relative ? { baseline: this.baselineValue } : {}),
      text: this.describe(),
    };
  }
}

/** The baseline of a probe: the median of its defined samples, robust to one slow warm-up second. */
/** "min 1, max 9, last 4" of the samples seen; a loop, not Math.min(...values): a day of samples must not overflow the stack. */
export function describeRange(c: Comparison, values: number[]): string {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return `min ${c.format(min)}, max ${c.format(max)}, last ${c.format(values.at(-1))}`;
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
