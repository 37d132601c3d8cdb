import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtTool, spawnTool } from "./tool-process.js";
import { freePort } from "./toxiproxy-server.js";

const OTELCOL = builtTool("otelcol.sh", "GAMEDAY_OTELCOL_VERSION", "otelcol", "otelcol-gameday");
export const OTELCOL_BIN = OTELCOL.bin;

/** One span as the file exporter writes it (OTLP JSON). */
export interface CollectedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, string | number | boolean | unknown[]>;
  status: { code?: number; message?: string };
  events: { name: string }[];
}

export interface RunningCollector {
  /** The OTLP/HTTP base URL, as a targets file's telemetry.otlp.endpoint. */
  endpoint: string;
  /** Every span the file exporter has written so far. */
  spans(): CollectedSpan[];
  /** Waits until `done(spans)` holds (the file exporter flushes every 100 ms). */
  waitFor(done: (spans: CollectedSpan[]) => boolean, ms?: number): Promise<CollectedSpan[]>;
  stop(): Promise<void>;
}

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
};

function value(v: AnyValue): string | number | boolean | unknown[] {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  return (v.arrayValue?.values ?? []).map(value);
}

function readSpans(file: string): CollectedSpan[] {
  if (!existsSync(file)) return [];
  const out: CollectedSpan[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const doc = JSON.parse(line) as {
      resourceSpans?: {
        scopeSpans?: {
          spans?: (Omit<CollectedSpan, "attributes"> & { attributes?: { key: string; value: AnyValue }[] })[];
        }[];
      }[];
    };
    for (const rs of doc.resourceSpans ?? [])
      for (const ss of rs.scopeSpans ?? [])
        for (const s of ss.spans ?? [])
          out.push({
            ...s,
            events: s.events ?? [],
            status: s.status ?? {},
            attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, value(a.value)])),
          });
  }
  return out;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * The real OpenTelemetry Collector that scripts/lib/otelcol.sh builds, on a free loopback port:
 * the OTLP/HTTP receiver only, the file exporter writing JSON to a temporary file, and no
 * telemetry of its own (so it binds nothing else). Fails loudly when the binary is missing.
 */
export async function startCollector(): Promise<RunningCollector> {
  if (!OTELCOL.version || !existsSync(OTELCOL_BIN))
    throw new Error(
      `the OpenTelemetry Collector is not built at ${OTELCOL_BIN}: run .ci/run, or \`source scripts/lib/tools.sh && ensure_otelcol\``,
    );
  const dir = mkdtempSync(join(tmpdir(), "gameday-otelcol-"));
  const port = await freePort();
  const out = join(dir, "traces.json");
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    `receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${port}
exporters:
  file:
    path: ${out}
    flush_interval: 100ms
service:
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [file]
`,
  );
  const { child, stderr, stop } = spawnTool(OTELCOL_BIN, ["--config", config]);
  const deadline = Date.now() + 15_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null) throw new Error(`otelcol exited with ${child.exitCode}: ${stderr()}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`otelcol did not listen on 127.0.0.1:${port} within 15 s: ${stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const spans = () => readSpans(out);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    waitFor: async (done, ms = 10_000) => {
      const until = Date.now() + ms;
      for (;;) {
        const now = spans();
        if (done(now) || Date.now() > until) return now;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop,
  };
}
