import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { alertRulesEnabled } from "../../sandbox-services/lib/countermeasures.js";
import { SERVICE_NAMES } from "../../sandbox-services/lib/topology.js";
import { InfrastructureError } from "../errors/gameday-error.js";
import { type ControlContext, ensureComponent, ownedPid } from "./component-control.js";
import { waitFor } from "./health-probes.js";
import { alertRulesLoaded, targetsUp, writePrometheusFiles } from "./prometheus-config.js";
import { componentSpecs } from "./sandbox-components.js";
import { type SandboxEndpoints, sandboxEndpoints } from "./sandbox-endpoints.js";
import { resolveLayout, type SandboxLayoutOptions } from "./sandbox-layout.js";
import { readState, type SandboxState, writeState } from "./sandbox-state.js";
import { ensureService } from "./service-control.js";
import { ensureProxies } from "./toxiproxy-proxies.js";
import { validBreaks } from "./valid-breaks.js";

export interface SandboxUpOptions extends SandboxLayoutOptions {
  /** SANDBOX_BREAK switches for the services; omitted means none (the healthy baseline). */
  breaks?: string[];
  log?: (line: string) => void;
  /** Per wait (a component's health, Prometheus' first scrapes); default 30 s. */
  timeoutMs?: number;
}

/**
 * A freshly started Node service answers its first requests slowly (cold JIT, first connections):
 * on a loaded 2-core runner enough to fail an experiment's steady state right after a switch
 * changed. Checkouts through the whole chain, at most `concurrency` at a time, for `forMs` and then
 * on until the last `cleanMs` saw no failed call (a stack that is still settling would fail the
 * next steady state). Bounded in count and time (at most `maxMs`); it never throws: the steady
 * state judges health, not this.
 */
export async function warmUp(
  checkoutUrl: string,
  forMs = 5000,
  concurrency = 10,
  { cleanMs = 2000, maxMs = 30_000 }: { cleanMs?: number; maxMs?: number } = {},
): Promise<void> {
  const started = Date.now();
  let lastFailure = Number.NEGATIVE_INFINITY;
  const settled = () => {
    const now = Date.now();
    return now - started >= maxMs || (now - started >= forMs && now - lastFailure >= cleanMs);
  };
  const worker = async () => {
    for (let i = 0; i < 1000 && !settled(); i++) {
      const ok = await fetch(checkoutUrl, { signal: AbortSignal.timeout(2000) })
        .then(async (res) => {
          await res.arrayBuffer();
          return res.ok;
        })
        .catch(() => false);
      if (!ok) lastFailure = Date.now();
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** The control endpoints' token: made once per state dir, readable by its owner only, never printed. */
function ensureControlToken(file: string): void {
  if (existsSync(file)) return;
  writeFileSync(file, `${randomBytes(24).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
}

async function settleAll(tasks: Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(tasks)).flatMap((r) =>
    r.status === "rejected" ? [r.reason] : [],
  );
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) {
    throw new InfrastructureError(failed.map((e) => (e instanceof Error ? e.message : String(e))).join("\n"));
  }
}

/**
 * Brings the sandbox up, idempotently: starts (detached) whatever is not already running and
 * healthy, restarts only the services whose switches changed, and returns once Prometheus has
 * scraped all four services. A failure leaves what started recorded, so `sandboxDown` cleans up.
 */
export async function sandboxUp(opts: SandboxUpOptions = {}): Promise<SandboxEndpoints> {
  const log = opts.log ?? (() => {});
  const breaks = validBreaks(opts.breaks ?? []);
  const layout = resolveLayout(opts);
  mkdirSync(layout.stateDir, { recursive: true });
  ensureControlToken(layout.controlTokenFile);
  const previous = readState(layout);
  const state: SandboxState = {
    version: 1,
    ports: layout.ports,
    breaks,
    components: { ...previous?.components },
  };
  const endpoints = sandboxEndpoints(layout, breaks);
  const specs = componentSpecs(layout, endpoints, breaks);
  if (previous && JSON.stringify(previous.ports) !== JSON.stringify(layout.ports)) {
    const alive = Object.values(specs).filter((s) => ownedPid(s, previous) !== undefined);
    if (alive.length > 0) {
      throw new InfrastructureError(
        `the sandbox in ${layout.stateDir} runs on other ports (${alive.map((s) => s.name).join(", ")}); run sandbox down first`,
      );
    }
  }
  const ctx: ControlContext = { layout, state, log, startTimeoutMs: opts.timeoutMs ?? 30_000 };
  try {
    await ensureComponent(specs.toxiproxy, ctx);
    await ensureProxies(endpoints.toxiproxyUrl, endpoints.proxies, log);
    const alerting = alertRulesEnabled(breaks, process.env);
    const configChanged = writePrometheusFiles(layout, alerting);
    await settleAll([
      ...SERVICE_NAMES.map((name) => ensureService(specs[name], ctx)),
      ensureComponent(specs.prometheus, ctx, configChanged),
    ]);
    const healthySince = Date.now();
    await waitFor(
      `Prometheus on ${endpoints.prometheusUrl} to scrape ${SERVICE_NAMES.join(", ")}`,
      () => targetsUp(endpoints.prometheusUrl, healthySince),
      ctx.startTimeoutMs,
      250,
    ).catch((err: unknown) => {
      const external = state.components.prometheus?.owned === false;
      const hint = external
        ? " (that Prometheus was not started by the sandbox, so it may not scrape it)"
        : "";
      throw new InfrastructureError(`${err instanceof Error ? err.message : String(err)}${hint}`, {
        cause: err,
      });
    });
    if (state.components.prometheus?.owned !== false)
      await waitFor(
        `Prometheus on ${endpoints.prometheusUrl} to ${alerting ? "load" : "drop"} the alert rules`,
        () => alertRulesLoaded(endpoints.prometheusUrl, alerting),
        ctx.startTimeoutMs,
        250,
      );
  } finally {
    writeState(layout, state);
  }
  const restarted = SERVICE_NAMES.filter(
    (name) => state.components[name]?.pid !== previous?.components[name]?.pid,
  );
  if (restarted.length > 0) await warmUp(endpoints.checkoutUrl);
  log(
    `sandbox ready (switches [${breaks.join(",")}]): gateway ${endpoints.gatewayUrl}, ` +
      `toxiproxy ${endpoints.toxiproxyUrl}, prometheus ${endpoints.prometheusUrl}`,
  );
  return endpoints;
}
