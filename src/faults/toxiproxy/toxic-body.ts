import type { ToxicAttributeTypes } from "toxiproxy-node-client";
import { formatDuration } from "../../experiment/duration.js";
import type { ToxiproxyFaultSpec } from "../../experiment/toxiproxy-fault-schema.js";
import type { ToxicBody, ToxicState } from "./toxiproxy-api.js";

/** Every toxiproxy fault except the outage, which is a proxy state rather than a toxic. */
export type ToxicFaultSpec = Exclude<ToxiproxyFaultSpec, { toxic: "outage" }>;

/** Toxiproxy's attribute names and units; durations in the schema are already milliseconds. */
function attributes(spec: ToxicFaultSpec): ToxicAttributeTypes {
  switch (spec.toxic) {
    case "latency":
      return { latency: spec.latency, jitter: spec.jitter };
    case "bandwidth":
      return { rate: spec.rate };
    case "slow_close":
      return { delay: spec.delay };
    case "timeout":
    case "reset_peer":
      return { timeout: spec.timeout };
    case "slicer":
      // Toxiproxy's slicer delay is the one attribute in microseconds.
      return { average_size: spec.averageSize, size_variation: spec.sizeVariation, delay: spec.delay * 1000 };
    case "limit_data":
      return { bytes: spec.bytes };
  }
}

export function toxicBody(spec: ToxicFaultSpec, name: string): ToxicBody {
  return {
    name,
    type: spec.toxic,
    stream: spec.stream,
    toxicity: spec.toxicity,
    attributes: attributes(spec),
  };
}

/** "latency 800ms ±100ms", as a person would write the fault. */
function effect(spec: ToxicFaultSpec): string {
  const d = formatDuration;
  switch (spec.toxic) {
    case "latency":
      return `latency ${d(spec.latency)}${spec.jitter ? ` ±${d(spec.jitter)}` : ""}`;
    case "bandwidth":
      return `bandwidth ${spec.rate} KB/s`;
    case "slow_close":
      return `slow_close ${d(spec.delay)}`;
    case "timeout":
      return spec.timeout
        ? `timeout: no data, closed after ${d(spec.timeout)}`
        : "timeout: no data until reverted";
    case "reset_peer":
      return spec.timeout ? `reset_peer after ${d(spec.timeout)}` : "reset_peer at once";
    case "slicer":
      return `slicer ${spec.averageSize}±${spec.sizeVariation} bytes${spec.delay ? ` every ${d(spec.delay)}` : ""}`;
    case "limit_data":
      return `limit_data ${spec.bytes} bytes`;
  }
}

export function describeToxic(spec: ToxicFaultSpec): string {
  return `${effect(spec)} ${spec.stream} toxicity ${spec.toxicity}`;
}

/** For toxics found on the server, where only Toxiproxy's own JSON is known. */
export function describeToxicState(toxic: ToxicState): string {
  const attrs = Object.entries(toxic.attributes ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(" ");
  return `${toxic.type}${attrs ? ` ${attrs}` : ""} ${toxic.stream} toxicity ${toxic.toxicity}`;
}

export function describeProxy(proxy: { name: string; listen?: string; upstream?: string }): string {
  return `proxy ${proxy.name}${proxy.listen ? ` (${proxy.listen} -> ${proxy.upstream})` : ""}`;
}

/** The same toxic as injected: type, direction, toxicity and every attribute. */
export function sameToxic(
  now: ToxicState,
  was: { type: string; stream: string; toxicity: number; attributes: unknown },
): boolean {
  const attrs = (x: unknown) => JSON.stringify(Object.entries((x ?? {}) as object).sort());
  return (
    now.type === was.type &&
    now.stream === was.stream &&
    now.toxicity === was.toxicity &&
    attrs(now.attributes) === attrs(was.attributes)
  );
}
