import type { ToxicBody, ToxicState } from "./toxiproxy-api.js";

/**
 * A disabled proxy carries no label, so an outage also leaves this toxic, named with the owner tag, for
 * `gameday recover` to find. It never acts: toxicity 0 means no connection gets it (and the proxy is
 * down anyway). Toxiproxy 2.12 accepts and keeps toxics on a disabled proxy.
 *
 * The exact shape (latency 0, jitter 0, toxicity 0, upstream) tells a marker from a real latency fault.
 */
export function outageMarkerBody(name: string): ToxicBody {
  return { name, type: "latency", stream: "upstream", toxicity: 0, attributes: { latency: 0, jitter: 0 } };
}

export function isOutageMarker(toxic: ToxicState): boolean {
  const attrs = (toxic.attributes ?? {}) as Record<string, unknown>;
  return (
    toxic.type === "latency" &&
    toxic.stream === "upstream" &&
    toxic.toxicity === 0 &&
    attrs.latency === 0 &&
    (attrs.jitter ?? 0) === 0
  );
}
