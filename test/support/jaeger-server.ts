import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../src/sandbox/sandbox-layout.js";
import { builtTool, spawnTool } from "./tool-process.js";
import { freePort } from "./toxiproxy-server.js";

/** The checkout (also from dist/, where the bench runs this file). */
const ROOT = packageRoot();
const JAEGER = builtTool("jaeger.sh", "GAMEDAY_JAEGER_VERSION", "jaeger", "jaeger");
export const JAEGER_BIN = JAEGER.bin;

/** One span as Jaeger's query API (/api/traces/<id>) answers it. */
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: { refType: string; traceID: string; spanID: string }[];
  /** Microseconds since the epoch. */
  startTime: number;
  duration: number;
  tags: { key: string; value: unknown }[];
  processID: string;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

export interface RunningJaeger {
  /** The OTLP/HTTP traces URL, as SANDBOX_OTLP_TRACES. */
  otlpTracesUrl: string;
  /** Its process, for the bench's CPU figure. */
  pid: number;
  queryUrl: string;
  /** The trace as Jaeger stores it, or undefined while it has none of its spans. */
  trace(id: string): Promise<JaegerTrace | undefined>;
  /** The services Jaeger has seen spans from. */
  services(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * The real Jaeger that scripts/lib/jaeger.sh builds, with the documented config: the OTLP/HTTP
 * receiver, memory storage and the query API, each on a free loopback port, and no telemetry of its
 * own (so it binds nothing else).
 * Fails loudly when the binary is missing.
 */
export async function startJaeger(): Promise<RunningJaeger> {
  if (!JAEGER.version || !existsSync(JAEGER_BIN))
    throw new Error(
      `Jaeger is not built at ${JAEGER_BIN}: run .ci/run, or \`source scripts/lib/tools.sh && ensure_jaeger\``,
    );
  const dir = mkdtempSync(join(tmpdir(), "gameday-jaeger-"));
  const [otlp, query, queryGrpc] = [await freePort(), await freePort(), await freePort()];
  const config = join(dir, "config.yaml");
  // The documented config (sandbox-services/jaeger-local.yaml), on free ports instead of its defaults.
  const ports: Record<string, number> = { "4318": otlp, "16686": query, "16685": queryGrpc };
  writeFileSync(
    config,
    readFileSync(join(ROOT, "sandbox-services", "jaeger-local.yaml"), "utf8").replace(
      /127\.0\.0\.1:(4318|16686|16685)\b/g,
      (_, p: string) => `127.0.0.1:${ports[p]}`,
    ),
  );
  // Jaeger drains its pipelines on SIGTERM, which can take many seconds: 3 s, then SIGKILL.
  const tool = spawnTool(JAEGER_BIN, ["--config", config], 3000);
  const { child, stderr } = tool;
  const stop = async () => {
    await tool.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const queryUrl = `http://127.0.0.1:${query}`;
  const get = async (path: string) => {
    const res = await fetch(`${queryUrl}${path}`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: (await res.json()) as { data?: unknown } };
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`jaeger exited with ${child.exitCode}: ${stderr()}`);
    if ((await get("/api/services").catch(() => undefined))?.status === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jaeger's query API did not answer on ${queryUrl} within 30 s: ${stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    otlpTracesUrl: `http://127.0.0.1:${otlp}/v1/traces`,
    pid: child.pid ?? 0,
    queryUrl,
    async trace(id) {
      const r = await get(`/api/traces/${id}`);
      if (r.status !== 200) return undefined;
      return (r.body.data as JaegerTrace[] | undefined)?.[0];
    },
    async services() {
      return ((await get("/api/services")).body.data as string[] | null) ?? [];
    },
    stop,
  };
}
