import { describe, expect, it } from "vitest";
import type { SandboxStatus } from "../../src/sandbox/sandbox-status.js";
import { formatSandboxStatus, sandboxProblems } from "../../src/sandbox/sandbox-status-table.js";

const component = (name: string, healthy = true) => ({
  name: name as SandboxStatus["components"][number]["name"],
  pid: healthy ? 4242 : null,
  owned: true,
  running: healthy,
  healthy,
  endpoint: `http://127.0.0.1:1/${name}`,
  logFile: null,
  detail: healthy ? "" : "connection refused",
});

function status(overrides: Partial<SandboxStatus> = {}): SandboxStatus {
  return {
    stateDir: "/tmp/s",
    recorded: true,
    breaks: [],
    components: [component("toxiproxy"), component("gateway")],
    proxies: [
      { name: "payments", listen: "127.0.0.1:2", upstream: "127.0.0.1:3", enabled: true, toxics: [] },
    ],
    endpoints: {
      checkoutUrl: "http://127.0.0.1:1/checkout",
      prometheusUrl: "http://127.0.0.1:9",
      proxies: [{ name: "payments" }],
    } as unknown as SandboxStatus["endpoints"],
    ...overrides,
  };
}

describe("sandbox status table", () => {
  it("healthy: no problems, one line per component and proxy", () => {
    const s = status();
    expect(sandboxProblems(s)).toEqual([]);
    const text = formatSandboxStatus(s);
    expect(text).toMatch(/^toxiproxy\s+healthy\s+4242\s+http:\/\/127\.0\.0\.1:1\/toxiproxy$/m);
    expect(text).toMatch(/^payments\s+enabled\s+127\.0\.0\.1:2\s+127\.0\.0\.1:3\s+-$/m);
    expect(text).toContain("healthy: checkout at http://127.0.0.1:1/checkout");
  });

  it("a down component, a missing or disabled proxy: each is a problem", () => {
    expect(sandboxProblems(status({ components: [component("gateway", false)] }))).toEqual([
      "gateway is down (connection refused)",
    ]);
    expect(sandboxProblems(status({ proxies: [] }))).toEqual(["proxy payments is missing in Toxiproxy"]);
    const disabled = status({
      proxies: [{ name: "payments", listen: "a", upstream: "b", enabled: false, toxics: ["gameday.x.y"] }],
    });
    expect(sandboxProblems(disabled)).toEqual(["proxy payments is disabled (an outage left behind?)"]);
    expect(formatSandboxStatus(disabled)).toMatch(/^payments\s+disabled\s+a\s+b\s+gameday\.x\.y$/m);
  });
});
