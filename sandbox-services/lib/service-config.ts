/**
 * Environment of a sandbox service (full table in sandbox-services/README.md):
 *   SANDBOX_BREAK        comma list of regression switches (countermeasures.ts); each applies its
 *                        documented variable values, which win over the rest
 *   SANDBOX_INSTANCE     set by the launcher: the state dir that started the process
 *   SANDBOX_<SERVICE>_   PORT, DEPENDENCY_URL, TIMEOUT_MS (0 = none), BULKHEAD_MAX_CONCURRENT (0 = none),
 *                        BULKHEAD_MAX_QUEUE, BULKHEAD_QUEUE_TIMEOUT_MS,
 *                        RETRIES, BACKOFF_BASE_MS, BACKOFF_CAP_MS, JITTER (full|none),
 *                        RETRY_BUDGET (on|off), RETRY_BUDGET_RATIO, RETRY_BUDGET_MIN_RETRIES,
 *                        RETRY_BUDGET_WINDOW_MS, BREAKER (on|off), BREAKER_HALF_OPEN (on|off),
 *                        BREAKER_ERROR_THRESHOLD_PERCENTAGE, BREAKER_ROLLING_COUNT_TIMEOUT_MS,
 *                        BREAKER_VOLUME_THRESHOLD, BREAKER_RESET_TIMEOUT_MS, FALLBACK (on|off), WORK_MS,
 *                        CONTROL_PORT (default PORT + 1700); risk only: KEYS, CACHE_MAX_ENTRIES,
 *                        CACHE_TTL_MS, DB_BASE_MS, DB_TAIL_MEDIAN_MS, DB_TAIL_SIGMA, DB_CAP_MS,
 *                        POOL_SIZE, POOL_ACQUIRE_TIMEOUT_MS
 *   SANDBOX_CONTROL_TOKEN_FILE  the app-fault control endpoint's bearer token; no file, no endpoint
 *   SANDBOX_LOG_DIR      where each service writes its JSON lines (<service>.jsonl); else stdout
 *   SANDBOX_LOG_MAX_BYTES  <service>.jsonl rotates at this size (10485760; 0 = never)
 *   SANDBOX_LOG_MAX_FILES  rotated files kept, <service>.1.jsonl the newest (5)
 *   SANDBOX_OBSERVE      on|off (on): off writes no log line and propagates no traceparent (benchmarks)
 *   SANDBOX_OTLP_TRACES  an OTLP/HTTP traces URL on loopback (http://127.0.0.1:4318/v1/traces): every
 *                        request and attempt span is exported there too (a tracing backend); unset: none
 * with <SERVICE> one of GATEWAY, ORDERS, PAYMENTS, RISK.
 */
import { z } from "zod";
import { backoffPolicySchema } from "./backoff.js";
import { breakSchema, parseBreaks } from "./breaks.js";
import { bulkheadPolicySchema } from "./bulkhead.js";
import { breakOverrides } from "./countermeasures.js";
import { DEFAULT_LOG_ROTATION } from "./observe/log-files.js";
import { retryBudgetPolicySchema } from "./retry-budget.js";
import { DEFAULT_STORE_POLICY, storePolicySchema } from "./store/store-policy.js";
import {
  CALLS,
  CONTROL_PORT_DELTA,
  DEFAULT_PROXY_PORTS,
  DEFAULT_SERVICE_PORTS,
  type ServiceName,
  serviceNameSchema,
} from "./topology.js";

/** The longest timer Node keeps: a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

export const breakerPolicySchema = z.strictObject({
  enabled: z.boolean(),
  halfOpen: z.boolean().describe("off: once open, no trial call ever closes it again"),
  errorThresholdPercentage: z.number().min(0).max(100),
  rollingCountTimeoutMs: z.number().int().min(1),
  volumeThreshold: z.number().int().min(0),
  resetTimeoutMs: z.number().int().min(1).max(MAX_TIMER_MS),
});

export const dependencyPolicySchema = z.strictObject({
  name: serviceNameSchema,
  url: z.url().describe("base URL of the dependency, normally its Toxiproxy proxy"),
  path: z.string().startsWith("/"),
  timeoutMs: z.number().int().min(0).describe("per attempt; 0 means wait as long as the dependency takes"),
  bulkhead: bulkheadPolicySchema,
  retries: z.number().int().min(0).max(10),
  backoff: backoffPolicySchema,
  budget: retryBudgetPolicySchema.extend({ enabled: z.boolean() }),
  breaker: breakerPolicySchema,
  fallback: z.boolean(),
});

export const serviceConfigSchema = z.strictObject({
  service: serviceNameSchema,
  port: z.number().int().min(1).max(65_535),
  workMs: z.number().int().min(0).describe("simulated own work per request"),
  breaks: z.array(breakSchema),
  dependency: dependencyPolicySchema.optional(),
  control: z.strictObject({
    port: z.number().int().min(1).max(65_535).describe("the app-fault control endpoint, on 127.0.0.1"),
    tokenFile: z.string().nullable().describe("its bearer token's file; null: no control endpoint"),
  }),
  logDir: z.string().nullable().describe("JSON request logs go to <logDir>/<service>.jsonl; null: stdout"),
  logRotation: z.strictObject({
    maxBytes: z
      .number()
      .int()
      .min(0)
      .refine((n) => n === 0 || n >= 4096, "at least 4096 bytes, or 0 (never rotate)")
      .describe("<service>.jsonl is rotated to <service>.1.jsonl at this size; 0: never"),
    maxFiles: z.number().int().min(0).max(1000).describe("rotated files kept; older ones are deleted"),
  }),
  observe: z
    .boolean()
    .describe("structured logs and W3C traceparent propagation; SANDBOX_OBSERVE=off turns both off"),
  traces: z
    .url({ protocol: /^https?$/, hostname: /^(127\.0\.0\.1|localhost|\[::1\])$/ })
    .nullable()
    .describe("OTLP/HTTP traces endpoint the spans are exported to, on loopback only; null: none"),
  store: storePolicySchema.optional().describe("risk: cache, simulated database and its pool"),
});

export type DependencyPolicy = z.infer<typeof dependencyPolicySchema>;
export type ServiceConfig = z.infer<typeof serviceConfigSchema>;

/** The countermeasures each service ships with (see sandbox-services/README.md). */
const DEFAULTS: Record<
  ServiceName,
  {
    timeoutMs: number;
    bulkhead: { maxConcurrent: number; maxQueue: number; queueTimeoutMs: number };
    retries: number;
    breaker: boolean;
    fallback: boolean;
    workMs: number;
  }
> = {
  // A queue's longest wait plus the service's own timeout stays under its caller's timeout
  // (gateway 0.8 + 1.5 < client 3 s, orders 0.5 + 0.3 < gateway 1.5 s, payments' wait < orders'
  // 300 ms): a queued call must not make the caller time out (a 504 measured when it did).
  gateway: {
    timeoutMs: 1500,
    bulkhead: { maxConcurrent: 40, maxQueue: 120, queueTimeoutMs: 800 },
    retries: 0,
    breaker: false,
    fallback: false,
    workMs: 0,
  },
  orders: {
    timeoutMs: 300,
    bulkhead: { maxConcurrent: 8, maxQueue: 32, queueTimeoutMs: 500 },
    retries: 0,
    breaker: true,
    fallback: true,
    workMs: 0,
  },
  payments: {
    timeoutMs: 200,
    bulkhead: { maxConcurrent: 8, maxQueue: 32, queueTimeoutMs: 100 },
    retries: 3,
    breaker: false,
    fallback: false,
    workMs: 0,
  },
  risk: {
    timeoutMs: 0,
    bulkhead: { maxConcurrent: 0, maxQueue: 0, queueTimeoutMs: 1 },
    retries: 0,
    breaker: false,
    fallback: false,
    workMs: 3,
  },
};

const intVar = z.coerce.number().int().min(0);
const ratioVar = z.coerce.number().min(0);
const switchVar = z
  .enum(["on", "off", "true", "false", "1", "0"])
  .transform((v) => ["on", "true", "1"].includes(v));
const jitterVar = z.enum(["full", "none"]);

type Env = Record<string, string | undefined>;

/** Reads one variable, naming it in the error so a typo in a launch script is obvious. */
function read<T>(env: Env, key: string, schema: z.ZodType<T>, fallback: T): T {
  const raw = env[key];
  if (raw === undefined || raw.trim() === "") return fallback;
  const parsed = schema.safeParse(raw.trim());
  if (!parsed.success)
    throw new Error(`${key}=${raw}: ${parsed.error.issues[0]?.message ?? "invalid value"}`);
  return parsed.data;
}

function nonEmpty(v: string | undefined): string | null {
  return v === undefined || v.trim() === "" ? null : v.trim();
}

function storePolicy(env: Env, p: string) {
  const d = DEFAULT_STORE_POLICY;
  return {
    keys: read(env, `${p}KEYS`, intVar, d.keys),
    cache: {
      maxEntries: read(env, `${p}CACHE_MAX_ENTRIES`, intVar, d.cache.maxEntries),
      ttlMs: read(env, `${p}CACHE_TTL_MS`, intVar, d.cache.ttlMs),
    },
    db: {
      baseMs: read(env, `${p}DB_BASE_MS`, ratioVar, d.db.baseMs),
      tailMedianMs: read(env, `${p}DB_TAIL_MEDIAN_MS`, ratioVar, d.db.tailMedianMs),
      tailSigma: read(env, `${p}DB_TAIL_SIGMA`, ratioVar, d.db.tailSigma),
      capMs: read(env, `${p}DB_CAP_MS`, ratioVar, d.db.capMs),
    },
    pool: {
      size: read(env, `${p}POOL_SIZE`, intVar, d.pool.size),
      acquireTimeoutMs: read(env, `${p}POOL_ACQUIRE_TIMEOUT_MS`, intVar, d.pool.acquireTimeoutMs),
    },
  };
}

/**
 * The effective configuration of one service from its environment. Variables are prefixed with
 * the service name (SANDBOX_ORDERS_TIMEOUT_MS) so one launcher environment can tune each service.
 * A SANDBOX_BREAK switch is nothing but its documented variable values (countermeasures.ts),
 * applied over the environment: a break means "this countermeasure is gone", whatever else is set,
 * and the switch and the variables make exactly the same regression.
 */
export function loadServiceConfig(service: ServiceName, processEnv: Env = process.env): ServiceConfig {
  const p = `SANDBOX_${service.toUpperCase()}_`;
  const d = DEFAULTS[service];
  const breaks = parseBreaks(processEnv.SANDBOX_BREAK);
  const env: Env = { ...processEnv, ...breakOverrides(breaks) };
  const call = CALLS[service];
  const dependency = call && {
    name: call.dependency,
    url: read(env, `${p}DEPENDENCY_URL`, z.url(), `http://127.0.0.1:${DEFAULT_PROXY_PORTS[call.dependency]}`),
    path: call.path,
    timeoutMs: read(env, `${p}TIMEOUT_MS`, intVar, d.timeoutMs),
    bulkhead: {
      maxConcurrent: read(env, `${p}BULKHEAD_MAX_CONCURRENT`, intVar, d.bulkhead.maxConcurrent),
      maxQueue: read(env, `${p}BULKHEAD_MAX_QUEUE`, intVar, d.bulkhead.maxQueue),
      queueTimeoutMs: read(env, `${p}BULKHEAD_QUEUE_TIMEOUT_MS`, intVar, d.bulkhead.queueTimeoutMs),
    },
    retries: read(env, `${p}RETRIES`, intVar, d.retries),
    backoff: {
      baseMs: read(env, `${p}BACKOFF_BASE_MS`, intVar, 25),
      capMs: read(env, `${p}BACKOFF_CAP_MS`, intVar, 400),
      jitter: read(env, `${p}JITTER`, jitterVar, "full"),
    },
    budget: {
      enabled: read(env, `${p}RETRY_BUDGET`, switchVar, true),
      ratio: read(env, `${p}RETRY_BUDGET_RATIO`, ratioVar, 0.5),
      minRetries: read(env, `${p}RETRY_BUDGET_MIN_RETRIES`, intVar, 10),
      windowMs: read(env, `${p}RETRY_BUDGET_WINDOW_MS`, intVar, 10_000),
    },
    breaker: {
      enabled: read(env, `${p}BREAKER`, switchVar, d.breaker),
      halfOpen: read(env, `${p}BREAKER_HALF_OPEN`, switchVar, true),
      errorThresholdPercentage: read(env, `${p}BREAKER_ERROR_THRESHOLD_PERCENTAGE`, ratioVar, 50),
      rollingCountTimeoutMs: read(env, `${p}BREAKER_ROLLING_COUNT_TIMEOUT_MS`, intVar, 5000),
      volumeThreshold: read(env, `${p}BREAKER_VOLUME_THRESHOLD`, intVar, 5),
      resetTimeoutMs: read(env, `${p}BREAKER_RESET_TIMEOUT_MS`, intVar, 3000),
    },
    fallback: read(env, `${p}FALLBACK`, switchVar, d.fallback),
  };
  const port = read(env, `${p}PORT`, intVar, DEFAULT_SERVICE_PORTS[service]);
  const parsed = serviceConfigSchema.safeParse({
    service,
    port,
    workMs: read(env, `${p}WORK_MS`, intVar, d.workMs),
    breaks,
    dependency,
    control: {
      port: read(env, `${p}CONTROL_PORT`, intVar, port + CONTROL_PORT_DELTA),
      tokenFile: nonEmpty(env.SANDBOX_CONTROL_TOKEN_FILE),
    },
    logDir: nonEmpty(env.SANDBOX_LOG_DIR),
    logRotation: {
      maxBytes: read(env, "SANDBOX_LOG_MAX_BYTES", intVar, DEFAULT_LOG_ROTATION.maxBytes),
      maxFiles: read(env, "SANDBOX_LOG_MAX_FILES", intVar, DEFAULT_LOG_ROTATION.maxFiles),
    },
    observe: read(env, "SANDBOX_OBSERVE", switchVar, true),
    traces: nonEmpty(env.SANDBOX_OTLP_TRACES),
    store: service === "risk" ? storePolicy(env, p) : undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${service} config: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data;
}
