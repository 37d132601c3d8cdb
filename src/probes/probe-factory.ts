import type { SteadyStateCheck } from "../experiment/schema.js";
import type { Probe } from "../interfaces/metric-source.js";
import type { LoadStatistics } from "../load/load-statistics.js";
import { authHeaders, CredentialError } from "../targets/credentials.js";
import type { Target } from "../targets/targets-schema.js";
import { MetricsScraper } from "./metrics-scraper.js";
import type { PrometheusClient } from "./prometheus-client.js";
import { BODY_LIMITS, readBodyCapped } from "./read-body.js";

export type MetricSelection = Pick<SteadyStateCheck, "source" | "metric" | "promql" | "scrape" | "http">;

export interface ProbeContext {
  target: Target;
  load?: LoadStatistics | undefined;
  prometheus?: PrometheusClient | undefined;
  scraper?: MetricsScraper;
  /** Sees every reading (the run's samples.jsonl); never changes it. */
  observe?: ((t: number, value: number | undefined) => void) | undefined;
}

/** Load figures are read over a trailing window so one slow second neither hides nor dominates. */
export const LOAD_TRAILING_MS = 5_000;

export class ProbeConfigError extends Error {
  readonly code = "E_PROBE_CONFIG";
}

function scrapeHeaders(target: Target): Record<string, string> {
  try {
    return authHeaders(target.scrapeAuth);
  } catch (err) {
    if (err instanceof CredentialError) throw new ProbeConfigError(`credentials for scrape: ${err.message}`);
    throw err;
  }
}

/** Turns the metric fields of a steady-state check, expectation or abort condition into a Probe. */
export function createProbe(sel: MetricSelection, ctx: ProbeContext): Probe {
  const probe = sourceProbe(sel, ctx);
  const observe = ctx.observe;
  if (!observe) return probe;
  return {
    description: probe.description,
    sample: async (w) => {
      const value = await probe.sample(w);
      observe(w.end, value);
      return value;
    },
  };
}

function sourceProbe(sel: MetricSelection, ctx: ProbeContext): Probe {
  if (sel.source === "load" && sel.metric) {
    const { load } = ctx;
    const metric = sel.metric;
    if (!load) throw new ProbeConfigError("source: load needs spec.load");
    return {
      description: `load ${metric}`,
      sample: async (w) =>
        load.metric(metric, { start: Math.max(w.start, w.end - LOAD_TRAILING_MS), end: w.end }),
    };
  }
  if (sel.promql !== undefined) {
    const prom = ctx.prometheus;
    const query = sel.promql;
    if (!prom) throw new ProbeConfigError(`promql is used but target has no prometheus url`);
    return { description: `promql ${query}`, sample: (w) => prom.instant(query, w.end) };
  }
  if (sel.scrape) {
    const { target: name, metric, labels, aggregate } = sel.scrape;
    const listed = Object.hasOwn(ctx.target.scrape, name) ? ctx.target.scrape[name] : undefined;
    const url = listed ?? (/^https?:\/\//.test(name) ? name : undefined);
    if (!url) throw new ProbeConfigError(`scrape target "${name}" is not in the target's scrape list`);
    const scraper = ctx.scraper ?? new MetricsScraper(scrapeHeaders(ctx.target));
    return {
      description: `scrape ${metric}${JSON.stringify(labels)} from ${url}`,
      sample: () => scraper.read(url, metric, labels, aggregate),
    };
  }
  if (sel.http) {
    const { url, timeout } = sel.http;
    return {
      description: `http GET ${url}`,
      sample: async () => {
        try {
          // The status is the value: no redirect is followed (it could lead off the declared hosts) and
          // at most BODY_LIMITS.probe bytes of the body are read.
          const res = await fetch(url, { signal: AbortSignal.timeout(timeout), redirect: "manual" });
          await readBodyCapped(res, BODY_LIMITS.probe, true);
          return res.status;
        } catch {
          return 0;
        }
      },
    };
  }
  throw new ProbeConfigError("no metric source given");
}
