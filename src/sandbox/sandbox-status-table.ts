import type { SandboxStatus } from "./sandbox-status.js";

/** The problems that make the stack unusable for an experiment; empty when it is healthy. */
export function sandboxProblems(status: SandboxStatus): string[] {
  const problems = status.components
    .filter((c) => !c.healthy)
    .map(
      (c) =>
        `${c.name} is ${c.running ? "running but unhealthy" : "down"}${c.detail ? ` (${c.detail})` : ""}`,
    );
  if (status.proxies) {
    const present = new Map(status.proxies.map((p) => [p.name, p]));
    for (const wanted of status.endpoints.proxies) {
      const proxy = present.get(wanted.name);
      if (!proxy) problems.push(`proxy ${wanted.name} is missing in Toxiproxy`);
      else if (!proxy.enabled) problems.push(`proxy ${wanted.name} is disabled (an outage left behind?)`);
    }
  }
  return problems;
}

/** Left-aligned columns, two spaces apart. */
function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

/** `gameday sandbox status` for a human: one line per component and proxy, then the verdict. */
export function formatSandboxStatus(status: SandboxStatus): string {
  const lines: string[] = [];
  lines.push(
    `sandbox state ${status.stateDir}${status.recorded ? "" : " (not started by `gameday sandbox up`)"}${
      status.breaks.length ? `, broken: ${status.breaks.join(", ")}` : ""
    }`,
    "",
  );
  lines.push(
    ...table([
      ["COMPONENT", "STATE", "PID", "ENDPOINT", "DETAIL"],
      ...status.components.map((c) => [
        c.name,
        c.healthy ? "healthy" : c.running ? "unhealthy" : "down",
        c.pid === null ? "-" : String(c.pid),
        c.endpoint,
        c.detail,
      ]),
    ]),
  );
  if (status.proxies?.length) {
    lines.push("");
    lines.push(
      ...table([
        ["PROXY", "STATE", "LISTEN", "UPSTREAM", "TOXICS"],
        ...status.proxies.map((p) => [
          p.name,
          p.enabled ? "enabled" : "disabled",
          p.listen,
          p.upstream,
          p.toxics.join(", ") || "-",
        ]),
      ]),
    );
  }
  const problems = sandboxProblems(status);
  lines.push("");
  if (problems.length) lines.push(`not healthy: ${problems.join("; ")}`);
  else
    lines.push(
      `healthy: checkout at ${status.endpoints.checkoutUrl}, Prometheus at ${status.endpoints.prometheusUrl}`,
    );
  return `${lines.join("\n")}\n`;
}
