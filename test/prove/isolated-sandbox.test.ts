import { describe, expect, it } from "vitest";
import { layoutPorts, shiftTarget, shiftUrl } from "../../src/prove/isolated-sandbox.js";
import { defaultPorts } from "../../src/sandbox/sandbox-layout.js";
import { targetSchema } from "../../src/targets/targets-schema.js";

describe("isolated sandbox instances for --parallel", () => {
  const ports = layoutPorts(defaultPorts(0));

  it("moves only loopback URLs on a sandbox port", () => {
    expect(shiftUrl("http://127.0.0.1:18080/checkout", ports, 100)).toBe("http://127.0.0.1:18180/checkout");
    expect(shiftUrl("http://localhost:8474", ports, 100)).toBe("http://localhost:8574");
    expect(shiftUrl("http://127.0.0.1:6379", ports, 100)).toBe("http://127.0.0.1:6379"); // not a sandbox port
    expect(shiftUrl("http://10.0.0.1:18080", ports, 100)).toBe("http://10.0.0.1:18080"); // not loopback
  });

  it("shifts vars, toxiproxy, prometheus and scrape; reach (proxies, mutableEnv) stays the same", () => {
    const t = targetSchema.parse({
      vars: { GATEWAY_URL: "http://127.0.0.1:18080", OTHER: "x" },
      toxiproxy: { url: "http://127.0.0.1:8474", proxies: ["payments"] },
      prometheus: { url: "http://127.0.0.1:19090" },
      scrape: { orders: "http://127.0.0.1:18081/metrics" },
      mutableEnv: ["SANDBOX_BREAK"],
    });
    const s = shiftTarget(t, ports, 200);
    expect(s.vars).toEqual({ GATEWAY_URL: "http://127.0.0.1:18280", OTHER: "x" });
    expect(s.toxiproxy).toEqual({ url: "http://127.0.0.1:8674", proxies: ["payments"] });
    expect(s.prometheus?.url).toBe("http://127.0.0.1:19290");
    expect(s.scrape.orders).toBe("http://127.0.0.1:18281/metrics");
    expect(s.mutableEnv).toEqual(["SANDBOX_BREAK"]);
  });
});
