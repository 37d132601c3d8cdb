import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { SERVICE_NAMES } from "../../sandbox-services/lib/topology.js";
import { ALERT_GROUP, ALERT_RULES_FILE, renderAlertRules } from "./alert-rules.js";
import type { SandboxLayout, SandboxPorts } from "./sandbox-layout.js";

/**
 * One job per service, scraped every second so a breaker opening shows up in PromQL within a
 * couple of seconds. No `service` label is added: the services label their own series. The alert
 * rules (alert-rules.ts) sit beside the config; without them (`--break alerting`) no rule is loaded.
 */
export function renderPrometheusConfig(ports: SandboxPorts, alertRules = true): string {
  const jobs = SERVICE_NAMES.map(
    (name) =>
      `  - job_name: ${name}\n    metrics_path: /metrics\n    static_configs:\n      - targets: ["127.0.0.1:${ports.services[name]}"]\n`,
  );
  return [
    "# Written by `gameday sandbox up`; rewritten on every up.",
    "global:",
    "  scrape_interval: 1s",
    "  scrape_timeout: 1s",
    "  evaluation_interval: 1s",
    ...(alertRules ? ["rule_files:", `  - ${ALERT_RULES_FILE}`] : []),
    "scrape_configs:",
    ...jobs,
  ].join("\n");
}

/** Writes the file only when it changed; true means a running Prometheus has a stale config. */
export function writeIfChanged(path: string, text: string): boolean {
  if (existsSync(path) && readFileSync(path, "utf8") === text) return false;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return true;
}

/** prometheus.yml and the rule file beside it; true when a running Prometheus must restart to read them. */
export function writePrometheusFiles(layout: SandboxLayout, alertRules: boolean): boolean {
  const rulesChanged = writeIfChanged(
    join(dirname(layout.prometheusConfig), ALERT_RULES_FILE),
    renderAlertRules(),
  );
  const configChanged = writeIfChanged(
    layout.prometheusConfig,
    renderPrometheusConfig(layout.ports, alertRules),
  );
  return rulesChanged || configChanged;
}

const rulesSchema = z.object({
  status: z.literal("success"),
  data: z.object({
    groups: z.array(z.object({ name: z.string(), rules: z.array(z.object({ health: z.string() })) })),
  }),
});

/**
 * Whether Prometheus evaluates the sandbox's rule group (every rule healthy), or, with alerting
 * switched off, has no such group: what `--break alerting` promises, verified, not assumed.
 */
export async function alertRulesLoaded(
  baseUrl: string,
  wanted: boolean,
): Promise<{ value?: true; detail: string }> {
  try {
    const res = await fetch(`${baseUrl}/api/v1/rules?type=alert`, { signal: AbortSignal.timeout(2000) });
    const body = rulesSchema.parse(await res.json());
    const group = body.data.groups.find((g) => g.name === ALERT_GROUP);
    if (!wanted)
      return group
        ? { detail: `rule group ${ALERT_GROUP} still loaded` }
        : { value: true, detail: "no alert rules" };
    if (!group) return { detail: `rule group ${ALERT_GROUP} not loaded` };
    const unhealthy = group.rules.filter((r) => r.health !== "ok" && r.health !== "unknown");
    return unhealthy.length
      ? { detail: `${unhealthy.length} rules of ${ALERT_GROUP} are unhealthy` }
      : { value: true, detail: `${group.rules.length} alert rules loaded` };
  } catch (err) {
    return { detail: err instanceof Error ? err.message : String(err) };
  }
}

const vectorSchema = z.object({
  status: z.literal("success"),
  data: z.object({
    result: z.array(
      z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) }),
    ),
  }),
});

async function query(baseUrl: string, promql: string): Promise<Map<string, number>> {
  const res = await fetch(`${baseUrl}/api/v1/query?query=${encodeURIComponent(promql)}`, {
    signal: AbortSignal.timeout(2000),
  });
  const body = vectorSchema.parse(await res.json());
  return new Map(body.data.result.map((r) => [r.metric.job ?? "", Number(r.value[1])]));
}

/**
 * Whether Prometheus scraped every service successfully at or after `sinceMs`. The freshness
 * matters after a restart: the last sample before it still says up == 1.
 */
export async function targetsUp(baseUrl: string, sinceMs: number): Promise<{ value?: true; detail: string }> {
  const selector = `up{job=~"${SERVICE_NAMES.join("|")}"}`;
  try {
    const [up, at] = await Promise.all([query(baseUrl, selector), query(baseUrl, `timestamp(${selector})`)]);
    const pending = SERVICE_NAMES.filter((job) => up.get(job) !== 1 || (at.get(job) ?? 0) * 1000 < sinceMs);
    if (pending.length === 0) return { value: true, detail: "all targets up" };
    return {
      detail: `targets not up yet: ${pending.map((j) => `${j}=${up.get(j) ?? "absent"}`).join(", ")}`,
    };
  } catch (err) {
    return { detail: err instanceof Error ? err.message : String(err) };
  }
}
