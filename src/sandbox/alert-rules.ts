import { z } from "zod";
import { CALLS, ROUTES, SERVICE_NAMES, type ServiceName } from "../../sandbox-services/lib/topology.js";

/**
 * The sandbox's alert rules: one table, evaluated by the real Prometheus of every runtime (the
 * process sandbox writes it beside prometheus.yml, the compose `config` container renders it, the
 * Kubernetes manifests carry the rendering, checked by a test). The expressions read only the
 * metric contract of sandbox-services/lib/service-metrics.ts.
 *
 * `for:` is seconds, not minutes: the sandbox scrapes and evaluates every second and a demo fault
 * lasts 10 s. A real stack evaluates every 15-60 s with `for: 2m`-`10m`, so one slow scrape never
 * pages anyone; the shape of the rules is the same.
 */
export const ALERT_GROUP = "gameday-sandbox";

export const alertRuleSchema = z.strictObject({
  alert: z.string().regex(/^[A-Z][A-Za-z0-9]+$/),
  expr: z.string().min(1),
  for: z.string().regex(/^\d+s$/),
  labels: z.strictObject({
    severity: z.enum(["page", "ticket"]),
    service: z.enum(SERVICE_NAMES),
  }),
  annotations: z.strictObject({ summary: z.string().min(1) }),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;

const title = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
const of = (s: string) => (s.endsWith("s") ? `${s}'` : `${s}'s`);
const sel = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",");

/** The latency and error ratio users see, at the entry point. */
function gatewayRules(): AlertRule[] {
  const inbound = sel({ service: "gateway", route: ROUTES.gateway });
  return [
    {
      alert: "GatewayHighLatency",
      expr: `histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{${inbound}}[5s]))) > 0.5`,
      for: "2s",
      labels: { severity: "page", service: "gateway" },
      annotations: { summary: "checkout p95 latency above 500 ms" },
    },
    {
      alert: "GatewayHighErrorRatio",
      expr:
        `sum(rate(http_server_requests_total{${inbound},status=~"5.."}[5s]))` +
        ` / sum(rate(http_server_requests_total{${inbound}}[5s])) > 0.05`,
      for: "2s",
      labels: { severity: "page", service: "gateway" },
      annotations: { summary: "more than 5% of checkouts answer 5xx" },
    },
  ];
}

/** Per hop: the caller's view of its dependency (errors, breaker) and of its own capacity (bulkhead). */
function hopRules(service: ServiceName): AlertRule[] {
  const call = CALLS[service];
  if (!call) return [];
  const hop = sel({ service, dependency: call.dependency });
  const name = title(service);
  const rules: AlertRule[] = [
    {
      alert: `${name}DependencyErrorRatioHigh`,
      expr:
        `sum(rate(dependency_requests_total{${hop},outcome!="success"}[5s]))` +
        ` / sum(rate(dependency_requests_total{${hop}}[5s])) > 0.2`,
      for: "2s",
      labels: { severity: "ticket", service },
      annotations: {
        summary: `more than 20% of ${of(service)} calls to ${call.dependency} fail or time out`,
      },
    },
    {
      alert: `${name}Saturated`,
      expr:
        `max(dependency_in_flight{${hop}} / (dependency_concurrency_limit{${hop}} > 0)) >= 0.9` +
        ` or sum(rate(dependency_shed_total{${hop}}[5s])) > 0`,
      for: "1s",
      labels: { severity: "ticket", service },
      annotations: {
        summary: `${of(service)} bulkhead to ${call.dependency} is at 90% of its limit or shedding calls`,
      },
    },
  ];
  // Only orders has a breaker; the gauge exists at 0 everywhere else, so the rule would never fire.
  if (service === "orders")
    rules.push({
      alert: `${name}BreakerOpen`,
      expr: `max(circuit_breaker_state{${hop}}) == 2`,
      for: "1s",
      labels: { severity: "page", service },
      annotations: { summary: `${of(service)} circuit breaker to ${call.dependency} is open` },
    });
  return rules;
}

export const ALERT_RULES: readonly AlertRule[] = [...gatewayRules(), ...SERVICE_NAMES.flatMap(hopRules)].map(
  (r) => alertRuleSchema.parse(r),
);

/** The rule file, as Prometheus reads it (JSON is YAML: no quoting rules to get wrong). */
export function renderAlertRules(rules: readonly AlertRule[] = ALERT_RULES): string {
  const lines = [
    "# Generated from src/sandbox/alert-rules.ts (ALERT_RULES); a test keeps copies in step.",
    "groups:",
    `  - name: ${ALERT_GROUP}`,
    "    interval: 1s",
    "    rules:",
    ...rules.flatMap((r) => [
      `      - alert: ${r.alert}`,
      `        expr: ${JSON.stringify(r.expr)}`,
      `        for: ${r.for}`,
      `        labels: ${JSON.stringify(r.labels)}`,
      `        annotations: ${JSON.stringify(r.annotations)}`,
    ]),
  ];
  return `${lines.join("\n")}\n`;
}

/** The rule file name, beside prometheus.yml (Prometheus resolves rule_files relative to its config). */
export const ALERT_RULES_FILE = "alert-rules.yml";
