import { describe, expect, it } from "vitest";
import { clientObserver } from "../../sandbox-services/lib/observe/client-observer.js";
import { ResilientClient } from "../../sandbox-services/lib/resilient-client.js";
import { type RequestLog, requestLevel } from "../../sandbox-services/lib/service-bootstrap.js";
import { loadServiceConfig } from "../../sandbox-services/lib/service-config.js";
import { createServiceMetrics } from "../../sandbox-services/lib/service-metrics.js";

/** A logger that keeps each line with its level, as pino would write it. */
function captured() {
  const lines: {
    level: string;
    event: unknown;
    msg?: string | undefined;
    fields: Record<string, unknown>;
  }[] = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, msg?: string): void => {
      lines.push({ level, event: fields.event, msg, fields });
    };
  const log: RequestLog = { info: at("info"), warn: at("warn"), error: at("error") };
  return { log, lines };
}

describe("the sandbox services' log levels (what a drill's level search finds)", () => {
  it("a request line: 5xx error, 4xx warn, else info, unless the route says (a fallback is a warning)", () => {
    expect(requestLevel({ status: 502, body: {} })).toBe("error");
    expect(requestLevel({ status: 404, body: {} })).toBe("warn");
    expect(requestLevel({ status: 200, body: {} })).toBe("info");
    expect(requestLevel({ status: 200, body: {}, level: "warn" })).toBe("warn");
  });

  it("failed attempts and retries are warnings, giving up after the retries an error, each in words", async () => {
    const { log, lines } = captured();
    const policy = loadServiceConfig("payments", {}).dependency;
    if (!policy) throw new Error("payments has a dependency");
    const client = new ResilientClient(policy, createServiceMetrics("payments"), {
      random: () => 0,
      attempt: async () => ({ outcome: "timeout", detail: "no answer within 200 ms" }),
      observer: clientObserver(log, "risk"),
    });
    expect(await client.call()).toMatchObject({ kind: "failure", reason: "timeout" });
    const attempts = lines.filter((l) => l.event === "attempt");
    expect(attempts.length).toBe(policy.retries + 1);
    expect(attempts.every((l) => l.level === "warn" && /risk attempt \d failed/.test(l.msg ?? ""))).toBe(
      true,
    );
    expect(lines.filter((l) => l.event === "retry").every((l) => l.level === "warn")).toBe(true);
    const last = lines.at(-1);
    expect(last).toMatchObject({ level: "error", event: "retries_exhausted" });
    expect(last?.msg).toBe(`risk still failing after ${policy.retries + 1} attempts (timeout): giving up`);
  });

  it("a successful attempt stays at info", async () => {
    const { log, lines } = captured();
    const policy = loadServiceConfig("orders", {}).dependency;
    if (!policy) throw new Error("orders has a dependency");
    const client = new ResilientClient(policy, createServiceMetrics("orders"), {
      attempt: async () => ({ outcome: "success", status: 200, body: "{}" }),
      observer: clientObserver(log, "payments"),
    });
    await client.call();
    client.close();
    expect(lines.map((l) => [l.event, l.level])).toEqual([["attempt", "info"]]);
  });
});
