import { fmtMs } from "./stats.js";

export type Unit = "ms" | "s" | "MiB" | "x" | "%" | "rps" | "";

/** One number in the report, with the target it is judged against when there is one. */
export interface Metric {
  name: string;
  value: number;
  unit: Unit;
  /** Met when value < below. */
  below?: number;
  /** Met when value > above (a ratio that must exceed a factor). */
  above?: number;
}

/** One benchmark's outcome: what ran, the numbers, and what a reader must know to trust them. */
export interface Section {
  id: string;
  title: string;
  commands: string[];
  metrics: Metric[];
  notes: string[];
  /** Set when the bench could not produce its numbers (a peer missing, a run failing). */
  error?: string;
  raw?: unknown;
}

export function fmt(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return "n/a";
  if (unit === "ms") return `${fmtMs(value)} ms`;
  if (unit === "s") return `${value.toFixed(2)} s`;
  if (unit === "MiB") return `${value.toFixed(1)} MiB`;
  if (unit === "x") return `${value.toFixed(2)}x`;
  if (unit === "%") return `${value.toFixed(1)} %`;
  if (unit === "rps") return `${value.toFixed(1)} rps`;
  return String(Math.round(value * 100) / 100);
}

export function verdict(m: Metric): string {
  if (m.below === undefined && m.above === undefined) return "";
  if (!Number.isFinite(m.value)) return "NO DATA";
  const met = (m.below === undefined || m.value < m.below) && (m.above === undefined || m.value > m.above);
  return met ? "ok" : "MISSED";
}

/** "< 1500 ms", "> 3.00x", or "" when the metric has no target. */
export function targetText(m: Metric): string {
  const parts: string[] = [];
  if (m.below !== undefined) parts.push(`< ${fmt(m.below, m.unit)}`);
  if (m.above !== undefined) parts.push(`> ${fmt(m.above, m.unit)}`);
  return parts.join(", ");
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const sep = `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
  return [line(rows[0] ?? []), sep, ...rows.slice(1).map(line)].join("\n");
}

/** A section as it finishes: its commands, numbers and notes. */
export function renderSection(s: Section): string {
  const out = [`\n## ${s.id}. ${s.title}`];
  for (const c of s.commands) out.push(`  $ ${c}`);
  if (s.error) out.push(`  !! ${s.error}`);
  for (const m of s.metrics) {
    const target = targetText(m) ? `   (target ${targetText(m)}: ${verdict(m)})` : "";
    out.push(`  ${m.name.padEnd(58)} ${fmt(m.value, m.unit).padStart(12)}${target}`);
  }
  for (const n of s.notes) out.push(`  · ${n}`);
  return out.join("\n");
}

/** The final table: every metric of every section, with its target and whether it was met. */
export function renderSummary(sections: Section[]): string {
  const rows = [["#", "metric", "value", "target", "status"]];
  for (const s of sections) {
    if (s.error && !s.metrics.length)
      rows.push([s.id, "(no numbers)", "-", "-", `n/a: ${s.error.slice(0, 80)}`]);
    for (const m of s.metrics) rows.push([s.id, m.name, fmt(m.value, m.unit), targetText(m), verdict(m)]);
  }
  return table(rows);
}
