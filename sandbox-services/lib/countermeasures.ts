import { z } from "zod";
import { type ServiceName, serviceNameSchema } from "./topology.js";

/**
 * The sandbox's countermeasure inventory: every countermeasure at every hop, each with the
 * regression switch that removes it and the documented SANDBOX_<SERVICE>_* values that remove it
 * the same way. Everything else is derived from this one table: SANDBOX_BREAK (a switch applies
 * exactly its `env`), the --break names and their validation, the mutants of the demo game day,
 * and the table in sandbox-services/README.md (a test keeps it in step).
 *
 * Design: timeouts and bulkheads at every hop (each service protects its own time and memory);
 * retries at one layer only, payments, next to the flaky dependency, because retries at every
 * layer multiply (3 retries at 3 layers is 64 calls per click); the breaker and the fallback at
 * orders, where a "payment pending" answer is still a useful order.
 */
export const HOPS = ["gateway -> orders", "orders -> payments", "payments -> risk"] as const;

export const COUNTERMEASURE_KINDS = [
  "timeout",
  "bulkhead",
  "retries",
  "backoff",
  "jitter",
  "retry-budget",
  "breaker-open",
  "breaker-close",
  "fallback",
] as const;

export const countermeasureSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z-]*$/)
    .describe("the regression switch: SANDBOX_BREAK / --break <name>"),
  hop: z.enum(HOPS),
  service: serviceNameSchema.describe("the calling service that owns the countermeasure"),
  kind: z.enum(COUNTERMEASURE_KINDS),
  does: z.string().min(1).describe("what the countermeasure does (defaults)"),
  removed: z.string().min(1).describe("what the system does once it is removed"),
  env: z
    .record(z.string().regex(/^SANDBOX_[A-Z]+_[A-Z_]+$/), z.string())
    .describe("the documented variable values that make the same regression"),
});
export type Countermeasure = z.infer<typeof countermeasureSchema>;

const row = <const N extends string>(r: Countermeasure & { name: N }) => r;

export const COUNTERMEASURES = [
  row({
    name: "gateway-timeout",
    hop: "gateway -> orders",
    service: "gateway",
    kind: "timeout",
    does: "gives up on orders after 1500 ms and answers 504",
    removed: "gateway waits as long as orders takes; checkouts hang",
    env: { SANDBOX_GATEWAY_TIMEOUT_MS: "0" },
  }),
  row({
    name: "gateway-bulkhead",
    hop: "gateway -> orders",
    service: "gateway",
    kind: "bulkhead",
    does: "at most 40 checkouts in flight to orders; the rest are shed at once with 503",
    removed: "in-flight checkouts (sockets, memory) grow with orders' latency",
    env: { SANDBOX_GATEWAY_BULKHEAD_MAX_CONCURRENT: "0" },
  }),
  row({
    name: "orders-timeout",
    hop: "orders -> payments",
    service: "orders",
    kind: "timeout",
    does: "gives up on payments after 300 ms (a failure for the breaker, then the fallback)",
    removed: "orders waits as long as payments takes; slowness cascades to the gateway",
    env: { SANDBOX_ORDERS_TIMEOUT_MS: "0" },
  }),
  row({
    name: "orders-bulkhead",
    hop: "orders -> payments",
    service: "orders",
    kind: "bulkhead",
    does: "at most 8 calls in flight to payments; the rest get the fallback at once",
    removed: "in-flight calls to payments grow with payments' latency",
    env: { SANDBOX_ORDERS_BULKHEAD_MAX_CONCURRENT: "0" },
  }),
  row({
    name: "breaker",
    hop: "orders -> payments",
    service: "orders",
    kind: "breaker-open",
    does: "opens when >= 50% of >= 5 calls in a rolling 5 s failed; open, it refuses calls without the network",
    removed: "every call goes to payments, however broken; circuit_breaker_state stays 0",
    env: { SANDBOX_ORDERS_BREAKER: "off" },
  }),
  row({
    name: "breaker-close",
    hop: "orders -> payments",
    service: "orders",
    kind: "breaker-close",
    does: "3 s after opening lets one trial call through (half-open) and closes on its success",
    removed: "no half-open trial: once open, the breaker stays open until orders restarts",
    env: { SANDBOX_ORDERS_BREAKER_HALF_OPEN: "off" },
  }),
  row({
    name: "fallback",
    hop: "orders -> payments",
    service: "orders",
    kind: "fallback",
    does: 'any failure, short circuit or shed call answers 200 {order:"accepted", payment:"pending"}',
    removed: "orders answers 503, and the gateway 502",
    env: { SANDBOX_ORDERS_FALLBACK: "off" },
  }),
  row({
    name: "payments-timeout",
    hop: "payments -> risk",
    service: "payments",
    kind: "timeout",
    does: "gives up on each attempt to risk after 200 ms",
    removed: "payments waits as long as risk takes, on every attempt",
    env: { SANDBOX_PAYMENTS_TIMEOUT_MS: "0" },
  }),
  row({
    name: "payments-bulkhead",
    hop: "payments -> risk",
    service: "payments",
    kind: "bulkhead",
    does: "at most 8 charges in flight to risk (retries included); the rest are shed at once with 503",
    removed: "in-flight calls to risk grow with risk's latency",
    env: { SANDBOX_PAYMENTS_BULKHEAD_MAX_CONCURRENT: "0" },
  }),
  row({
    name: "retries",
    hop: "payments -> risk",
    service: "payments",
    kind: "retries",
    does: "up to 3 retries of connection errors, timeouts and 5xx answers",
    removed: "one attempt only: every reset connection is a failed charge",
    env: { SANDBOX_PAYMENTS_RETRIES: "0" },
  }),
  row({
    name: "backoff",
    hop: "payments -> risk",
    service: "payments",
    kind: "backoff",
    does: "retry k waits up to min(400, 25 * 2^(k-1)) ms",
    removed: "retries go out immediately, back to back",
    env: { SANDBOX_PAYMENTS_BACKOFF_BASE_MS: "0" },
  }),
  row({
    name: "jitter",
    hop: "payments -> risk",
    service: "payments",
    kind: "jitter",
    does: "full jitter: the wait is uniform in [0, ceiling)",
    removed: "every retry k waits exactly the ceiling, in synchronized waves",
    env: { SANDBOX_PAYMENTS_JITTER: "none" },
  }),
  row({
    name: "retry-budget",
    hop: "payments -> risk",
    service: "payments",
    kind: "retry-budget",
    does: "retries of the last 10 s stay within max(10, 0.5 * requests of the last 10 s)",
    removed: "every failed attempt is retried: a hard-down risk gets 4 calls per charge",
    env: { SANDBOX_PAYMENTS_RETRY_BUDGET: "off" },
  }),
] as const;

export type CountermeasureName = (typeof COUNTERMEASURES)[number]["name"];

/**
 * Countermeasures of the stack around the services: detection. The launcher (not a service)
 * applies them, so a switch changes the Prometheus it starts; `env` is read by the launcher from
 * its own environment. Services accept the switch (and report it on /health) but it changes
 * nothing in them.
 */
export const MONITORING_COUNTERMEASURES = [
  {
    name: "alerting",
    hop: "monitoring",
    component: "prometheus",
    kind: "alerting",
    does: "evaluates the alert rules of src/sandbox/alert-rules.ts every second (latency, error ratio, breaker, saturation)",
    removed: "Prometheus starts without the rule group: no alert ever fires",
    env: { SANDBOX_PROMETHEUS_ALERT_RULES: "off" },
  },
] as const;
export type MonitoringCountermeasureName = (typeof MONITORING_COUNTERMEASURES)[number]["name"];

/** Old and convenience switch names, each standing for several rows. */
export const BREAK_ALIASES = {
  timeout: ["gateway-timeout", "orders-timeout", "payments-timeout"],
  bulkhead: ["gateway-bulkhead", "orders-bulkhead", "payments-bulkhead"],
} as const satisfies Record<string, readonly CountermeasureName[]>;
export type BreakAlias = keyof typeof BREAK_ALIASES;

/** What a mutant needs of one row: the switch, what it removes, and the variables that remove it. */
export interface CountermeasureRow {
  name: CountermeasureName;
  hop: Countermeasure["hop"];
  service: ServiceName;
  kind: Countermeasure["kind"];
  description: string;
  env: Record<string, string>;
}

/** The inventory, one entry per row, for gameday prove (mutants) and documentation. */
export function listCountermeasures(): CountermeasureRow[] {
  return COUNTERMEASURES.map((c) => ({
    name: c.name,
    hop: c.hop,
    service: c.service,
    kind: c.kind,
    description: `${c.hop} ${c.kind}: ${c.does}. Removed: ${c.removed}.`,
    env: { ...c.env },
  }));
}

const isMonitoring = (name: string): name is MonitoringCountermeasureName =>
  MONITORING_COUNTERMEASURES.some((m) => m.name === name);

/** Whether the launcher starts Prometheus with the alert rules: not with `alerting` switched off, by switch or variable. */
export function alertRulesEnabled(
  breaks: readonly string[],
  env: Record<string, string | undefined>,
): boolean {
  const off = MONITORING_COUNTERMEASURES[0].env.SANDBOX_PROMETHEUS_ALERT_RULES;
  return !breaks.includes("alerting") && env.SANDBOX_PROMETHEUS_ALERT_RULES !== off;
}

/** The rows a switch stands for (an alias expands to several). */
export function rowsOf(name: CountermeasureName | BreakAlias): readonly CountermeasureName[] {
  return name in BREAK_ALIASES ? BREAK_ALIASES[name as BreakAlias] : [name as CountermeasureName];
}

/** The variable values a list of switches applies; they win over the process environment. */
export function breakOverrides(
  names: readonly (CountermeasureName | BreakAlias | MonitoringCountermeasureName)[],
): Record<string, string> {
  const rows = new Set(names.flatMap((n) => (isMonitoring(n) ? [] : rowsOf(n))));
  return Object.assign({}, ...COUNTERMEASURES.filter((c) => rows.has(c.name)).map((c) => c.env));
}

/** The README table (sandbox-services/README.md carries exactly this text; a test checks it). */
export function countermeasureTableMarkdown(): string {
  const header = [
    "switch",
    "hop",
    "kind",
    "what it does (defaults)",
    "removed: what happens",
    "same by variables",
  ];
  const row = (c: (typeof COUNTERMEASURES)[number] | (typeof MONITORING_COUNTERMEASURES)[number]) => [
    `\`${c.name}\``,
    c.hop,
    c.kind,
    c.does,
    c.removed,
    Object.entries(c.env)
      .map(([k, v]) => `\`${k}=${v}\``)
      .join(" "),
  ];
  const rows = COUNTERMEASURES.map(row);
  const monitoring = MONITORING_COUNTERMEASURES.map(row);
  const aliases = Object.entries(BREAK_ALIASES).map(([alias, names]) => [
    `\`${alias}\``,
    "every hop",
    "alias",
    `all of ${names.map((n) => `\`${n}\``).join(", ")}`,
    "",
    "",
  ]);
  const all = [header, ...rows, ...monitoring, ...aliases].map((r) =>
    r.map((cell) => cell.replaceAll("|", "\\|")),
  );
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(all[0] ?? []), line(widths.map((w) => "-".repeat(w))), ...all.slice(1).map(line)].join("\n");
}
