import { setTimeout as sleep } from "node:timers/promises";
import { AppFaultError, type AppFaultHost, AppFaultRuntime } from "./control/app-fault-runtime.js";
import { readControlToken, startControlServer } from "./control/control-server.js";
import { clientObserver } from "./observe/client-observer.js";
import { createServiceLogger } from "./observe/service-logger.js";
import { type SpanExport, spanExportFor } from "./observe/span-export.js";
import { type CallResult, ResilientClient } from "./resilient-client.js";
import { type RouteHandler, startService } from "./service-bootstrap.js";
import {
  type DependencyPolicy,
  dependencyPolicySchema,
  loadServiceConfig,
  type ServiceConfig,
} from "./service-config.js";
import { createServiceMetrics, type ServiceMetrics } from "./service-metrics.js";
import { RiskStore } from "./store/risk-store.js";
import { ROUTES, type ServiceName } from "./topology.js";

export interface ServiceContext {
  config: ServiceConfig;
  /** Calls this service's dependency through its countermeasures. */
  callDependency: () => Promise<CallResult>;
  /** risk's cache, pool and database. */
  store?: RiskStore | undefined;
}

function exitOnBadConfig(service: ServiceName, err: unknown): never {
  // Exit 2, like the CLI for invalid input: a bad variable must stop the launch, not be guessed.
  console.error(`${service}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}

/**
 * The values config-drift may change, live: a drift rebuilds what reads the value, as a restart
 * with the new value would (a new client with a fresh breaker and budget; an empty cache).
 */
function appFaultHost(
  service: ServiceName,
  config: ServiceConfig,
  metrics: ServiceMetrics,
  store: RiskStore | undefined,
  deps: ConstructorParameters<typeof ResilientClient>[2],
) {
  let workMs = config.workMs;
  let policy: DependencyPolicy | undefined = config.dependency;
  let client = policy && new ResilientClient(policy, metrics, deps);
  const rebuild = (next: DependencyPolicy) => {
    const parsed = dependencyPolicySchema.safeParse(next);
    if (!parsed.success) throw new AppFaultError(422, parsed.error.issues[0]?.message ?? "invalid value");
    client?.close();
    policy = parsed.data;
    client = new ResilientClient(policy, metrics, deps);
  };
  const host: AppFaultHost = {
    service,
    store,
    configValues: () => ({
      workMs,
      ...(policy ? { timeoutMs: policy.timeoutMs, retries: policy.retries } : {}),
      ...(store
        ? {
            cacheTtlMs: store.currentPolicy.cache.ttlMs,
            cacheMaxEntries: store.currentPolicy.cache.maxEntries,
            poolAcquireTimeoutMs: store.currentPolicy.pool.acquireTimeoutMs,
          }
        : {}),
    }),
    setConfigValue: (key, value) => {
      const cache = store?.currentPolicy.cache;
      if (key === "workMs") workMs = value;
      else if (key === "timeoutMs" && policy) rebuild({ ...policy, timeoutMs: value });
      else if (key === "retries" && policy) rebuild({ ...policy, retries: value });
      else if (key === "cacheTtlMs" && store && cache && value > 0)
        store.reconfigureCache({ ...cache, ttlMs: value });
      else if (key === "cacheMaxEntries" && store && cache && value > 0)
        store.reconfigureCache({ ...cache, maxEntries: value });
      else if (key === "poolAcquireTimeoutMs" && store && value > 0) store.setAcquireTimeout(value);
      else throw new AppFaultError(422, `${service} cannot set ${key} to ${value}`);
    },
  };
  return {
    host,
    workMs: () => workMs,
    call: () => {
      if (!client) throw new Error(`${service} has no dependency`);
      return client.call();
    },
  };
}

/** The whole life of a sandbox service process: config, metrics, logs, client, server, control endpoint. */
export function runService(service: ServiceName, handler: (ctx: ServiceContext) => RouteHandler): void {
  let config: ServiceConfig;
  let token: string | undefined;
  try {
    config = loadServiceConfig(service);
    if (config.control.tokenFile) token = readControlToken(config.control.tokenFile);
  } catch (err) {
    exitOnBadConfig(service, err);
  }
  // The exporter (SANDBOX_OTLP_TRACES) is loaded before the server listens, so no span is missed.
  const loaded = config;
  spanExportFor(service, loaded.observe ? loaded.traces : null).then(
    (spans) => serve(service, loaded, token, spans, handler),
    (err: unknown) => exitOnBadConfig(service, err),
  );
}

/** Metrics, logs, client, server and control endpoint of a service whose config has been read. */
function serve(
  service: ServiceName,
  config: ServiceConfig,
  token: string | undefined,
  spans: SpanExport,
  handler: (ctx: ServiceContext) => RouteHandler,
): void {
  const metrics = createServiceMetrics(service);
  const log = createServiceLogger(service, config.observe ? config.logDir : false, config.logRotation);
  const store = config.store && new RiskStore(config.store, metrics.registry);
  // SANDBOX_OBSERVE=off: no attempt spans, no traceparent to the dependency, no attempt lines.
  const live = appFaultHost(
    service,
    config,
    metrics,
    store,
    config.observe ? { observer: clientObserver(log, config.dependency?.name ?? "", spans) } : {},
  );
  const runtime = new AppFaultRuntime(live.host, metrics.registry);
  const route = handler({ config, callDependency: live.call, store });
  const withWork: RouteHandler = async () => {
    const workMs = live.workMs();
    if (workMs > 0) await sleep(workMs);
    return route();
  };
  const control =
    token === undefined
      ? undefined
      : startControlServer(config.control.port, token, runtime, (line) => log.info(line));
  startService(
    config,
    metrics,
    { [ROUTES[service]]: withWork },
    config.observe ? log : undefined,
    () => {
      control?.close();
      log.flushNow();
      // The last batch of spans, bounded: a backend that hangs must not hold a stop.
      return Promise.race([spans.shutdown(), sleep(1500)]);
    },
    spans,
  );
}
