import { hostOf, httpUrlProblem } from "./http-url.js";
import type { Target } from "./targets-schema.js";

interface HostRule {
  hostname: string;
  /** undefined: any port of the host. */
  port: string | undefined;
  written: string;
}

function parseHost(entry: string): HostRule | undefined {
  try {
    const url = new URL(`http://${entry}`);
    return { hostname: url.hostname.toLowerCase(), port: url.port || undefined, written: entry };
  } catch {
    return undefined;
  }
}

function fromUrl(text: string): HostRule | undefined {
  if (httpUrlProblem(text)) return undefined;
  const url = new URL(text);
  const { hostname, port } = hostOf(url);
  return { hostname, port, written: `${hostname}:${port}` };
}

/**
 * The hosts an experiment on this target may send requests to: `hosts`, and the host:port of every
 * URL among its vars and scrape endpoints (the services under test). Not the Toxiproxy or
 * Kubernetes admin APIs, nor Prometheus: an experiment's load must never reach those.
 */
export function declaredHosts(target: Target): HostRule[] {
  const rules: HostRule[] = [];
  for (const entry of target.hosts) {
    const rule = parseHost(entry);
    if (rule) rules.push(rule);
  }
  for (const text of [...Object.values(target.vars), ...Object.values(target.scrape)]) {
    const rule = fromUrl(text);
    if (rule) rules.push(rule);
  }
  return rules;
}

/** Why `text` may not be called on this target (not http(s), or a host it does not declare), or undefined. */
export function reachProblem(
  text: string,
  target: Target | undefined,
  targetName: string,
): string | undefined {
  const problem = httpUrlProblem(text);
  if (problem || !target) return problem;
  const { hostname, port } = hostOf(new URL(text));
  const rules = declaredHosts(target);
  if (rules.some((r) => r.hostname === hostname && (r.port === undefined || r.port === port)))
    return undefined;
  const known = [...new Set(rules.map((r) => r.written))];
  const list = known.length ? known.slice(0, 10).join(", ") : "none";
  return `expected a URL on a host target "${targetName}" declares (${list}), found host ${hostname.slice(0, 100)}:${port}: add it to the target's hosts in the targets file if it is meant to be reached`;
}
