import { describe, expect, it } from "vitest";
import { describeExpectation } from "../../src/cli/plan/describe-expectation.js";
import { experimentSchema } from "../../src/experiment/schema.js";

const experiment = (expect: unknown[]) =>
  experimentSchema.parse({
    apiVersion: "gameday/v1",
    kind: "Experiment",
    metadata: { name: "e" },
    spec: {
      target: "t",
      faults: [{ name: "f", at: "5s", for: "20s", toxiproxy: { proxy: "p", toxic: "timeout" } }],
      expect,
    },
  });

describe("describeExpectation (gameday plan)", () => {
  it("names the built-in checks with their parameters", () => {
    const exp = experiment([
      {
        name: "cycle",
        check: "breakerCycle",
        service: "orders",
        dependency: "payments",
        during: "f",
        closedWithin: "20s",
      },
      {
        name: "amp",
        check: "retryAmplification",
        service: "orders",
        dependency: "payments",
        atMost: 1.5,
        during: "f",
      },
    ]);
    const [cycle, amp] = exp.spec.expect.map((e) => describeExpectation(e, exp));
    expect(cycle).toBe(
      "cycle: check breakerCycle: orders's breaker to payments opens (state 2) and closes (0) within 20s after the fault; always: every sample during fault f, +5s..+25s",
    );
    expect(amp).toContain(
      "check retryAmplification: calls from orders to payments per request orders received, vs the baseline, <= 1.5",
    );
  });
});
