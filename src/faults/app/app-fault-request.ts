import type { ApplyRequest } from "../../../sandbox-services/lib/control/app-fault-contract.js";
import type { AppFaultSpec } from "../../experiment/app-fault-schema.js";

/** The contract's PUT body for an experiment's app fault, owned by `owner`. */
export function applyRequest(spec: AppFaultSpec, owner: string): ApplyRequest {
  switch (spec.action) {
    case "cache-hit-ratio":
      return { kind: spec.action, owner, params: { missRatio: spec.missRatio } };
    case "db-latency":
      return { kind: spec.action, owner, params: { addMs: spec.latency, jitterMs: spec.jitter } };
    case "pool-shrink":
      return { kind: spec.action, owner, params: { size: spec.size } };
    case "memory-leak":
      return { kind: spec.action, owner, params: { mibPerSecond: spec.mibPerSecond, capMib: spec.capMib } };
    case "connection-leak":
      return { kind: spec.action, owner, params: { perSecond: spec.perSecond, max: spec.max } };
    case "config-drift":
      return { kind: spec.action, owner, params: { key: spec.key, value: spec.value } };
  }
}

export function describeAppFault(spec: AppFaultSpec): string {
  const what = (() => {
    switch (spec.action) {
      case "cache-hit-ratio":
        return `cache misses forced on ${Math.round(spec.missRatio * 100)}% of lookups`;
      case "db-latency":
        return `+${spec.latency} ms${spec.jitter ? ` (jitter ${spec.jitter} ms)` : ""} on every database query`;
      case "pool-shrink":
        return `connection pool shrunk to ${spec.size}`;
      case "memory-leak":
        return `memory leak of ${spec.mibPerSecond} MiB/s up to ${spec.capMib} MiB`;
      case "connection-leak":
        return `connection leak of ${spec.perSecond}/s up to ${spec.max}`;
      case "config-drift":
        return `config drift: ${spec.key} = ${spec.value}`;
    }
  })();
  return `${what} in ${spec.service}`;
}
