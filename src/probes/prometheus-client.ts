import { z } from "zod";
import { InfrastructureError, PreflightError } from "../errors/gameday-error.js";
import { authHeaders, CredentialError } from "../targets/credentials.js";
import type { Target } from "../targets/targets-schema.js";
import { BODY_LIMITS, readBodyCapped } from "./read-body.js";

interface QueryResponse {
  status: "success" | "error";
  error?: string;
  data?: { resultType: "vector" | "scalar" | "matrix" | "string"; result: unknown };
}

const alertsSchema = z.object({
  status: z.literal("success"),
  data: z.object({
    alerts: z
      .array(
        z.object({
          labels: z.record(z.string(), z.string()),
          state: z.string(),
          activeAt: z.string().optional(),
        }),
      )
      .max(10_000),
  }),
});

/** One active alert as Prometheus reports it: pending (its `for` not yet over) or firing. */
export interface ActiveAlert {
  labels: Record<string, string>;
  state: "pending" | "firing";
  /** When it became active (pending), epoch ms. */
  activeAt?: number | undefined;
}

/** A thin PromQL client: instant queries and the active alerts, which is all expectations need. */
export class PrometheusClient {
  constructor(
    readonly url: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** The client for a target's prometheus, with its credentials read (exit 4 when they cannot be). */
  static forTarget(target: Target): PrometheusClient | undefined {
    if (!target.prometheus) return undefined;
    try {
      return new PrometheusClient(target.prometheus.url, authHeaders(target.prometheus.auth));
    } catch (err) {
      if (err instanceof CredentialError)
        throw new PreflightError(`credentials for Prometheus at ${target.prometheus.url}: ${err.message}`);
      throw err;
    }
  }

  private get(url: string, timeoutMs: number): Promise<Response> {
    // No redirects: a declared endpoint must not forward our credentials somewhere else.
    return fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: this.headers, redirect: "error" });
  }

  /** Fails preflight with the URL named when the server does not answer. */
  async ping(): Promise<void> {
    try {
      const res = await this.get(`${this.url}/-/ready`, 3000);
      await readBodyCapped(res, BODY_LIMITS.probe, true);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      throw new PreflightError(`Prometheus at ${this.url} is not reachable: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /** Evaluates at `time` (epoch ms); one value: the max over the series, undefined for an empty result. */
  async instant(promql: string, time: number): Promise<number | undefined> {
    const params = new URLSearchParams({ query: promql, time: (time / 1000).toFixed(3) });
    let body: QueryResponse;
    try {
      const res = await this.get(`${this.url}/api/v1/query?${params}`, 5000);
      body = JSON.parse(await readBodyCapped(res, BODY_LIMITS.prometheus)) as QueryResponse;
    } catch (err) {
      throw new InfrastructureError(`Prometheus query to ${this.url} failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (body.status !== "success" || !body.data) {
      // A PromQL syntax error is the user's input; say so with the query.
      throw new InfrastructureError(
        `PromQL "${promql}" was rejected by ${this.url}: ${body.error ?? "unknown"}`,
      );
    }
    const { resultType, result } = body.data;
    if (resultType === "scalar") return Number((result as [number, string])[1]);
    if (resultType !== "vector")
      throw new InfrastructureError(`PromQL "${promql}" must return a vector or scalar`);
    const values = (result as { value: [number, string] }[]).map((r) => Number(r.value[1]));
    const finite = values.filter((v) => !Number.isNaN(v));
    return finite.length ? finite.reduce((a, b) => Math.max(a, b)) : undefined;
  }

  /** The alerts endpoint, for messages that name what was read. */
  get alertsUrl(): string {
    return `${this.url}/api/v1/alerts`;
  }

  /**
   * The alerts Prometheus' rules hold active right now (resolved ones are not listed). The one
   * reader of /api/v1/alerts: the alert expectation, the alert guard and the drill's watcher.
   */
  async alerts(timeoutMs = 5000): Promise<ActiveAlert[]> {
    let parsed: z.infer<typeof alertsSchema>;
    try {
      const res = await this.get(this.alertsUrl, timeoutMs);
      const text = await readBodyCapped(res, BODY_LIMITS.prometheus);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      parsed = alertsSchema.parse(JSON.parse(text));
    } catch (err) {
      throw new InfrastructureError(
        `Prometheus alerts API at ${this.url} failed: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    return parsed.data.alerts.flatMap((a) =>
      a.state === "pending" || a.state === "firing"
        ? [
            {
              labels: a.labels,
              state: a.state,
              activeAt: a.activeAt === undefined ? undefined : Date.parse(a.activeAt) || undefined,
            },
          ]
        : [],
    );
  }
}
