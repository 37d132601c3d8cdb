import { describe, expect, it } from "vitest";
import { dockerFaultSchema } from "../../src/experiment/docker-fault-schema.js";
import { refusal } from "../../src/faults/docker/apply-action.js";
import { type PriorState, priorStateSchema, stateDifferences } from "../../src/faults/docker/prior-state.js";

const prior = (networks: Record<string, unknown>, networkMode = "net-a"): PriorState =>
  priorStateSchema.parse({
    id: "0123456789abcdef",
    name: "api",
    running: true,
    paused: false,
    memory: 0,
    memorySwap: 0,
    cpuQuota: 0,
    nanoCpus: 0,
    restartPolicy: { name: "no", maximumRetryCount: 0 },
    oomScoreAdj: 0,
    networks,
    networkMode,
  });
const outage = dockerFaultSchema.parse({ select: { name: "api" }, action: "network-outage" });
const endpoint = {
  aliases: ["api"],
  ipv4Address: "",
  ipv6Address: "",
  linkLocalIps: [],
  links: [],
  driverOpts: {},
};

describe("docker prior state of networks", () => {
  it("reads a marker written before endpoints were recorded (aliases only, short id included)", () => {
    const old = prior({ "net-a": ["api", "0123456789ab"] });
    expect(old.networks["net-a"]).toEqual({ ...endpoint, aliases: ["api", "0123456789ab"] });
    // The Engine's own short-id alias is not a difference once the container is back.
    expect(stateDifferences(old, prior({ "net-a": endpoint }), ["networks"])).toEqual([]);
  });

  it("names a lost fixed address as a difference", () => {
    const was = prior({ "net-a": { ...endpoint, ipv4Address: "192.0.2.5" } });
    expect(stateDifferences(was, prior({ "net-a": endpoint }), ["networks"])).toEqual([
      `endpoint on net-a is ${JSON.stringify(endpoint)}, was ${JSON.stringify({ ...endpoint, ipv4Address: "192.0.2.5" })}`,
    ]);
  });

  it("refuses an outage it could not restore exactly: host, none, the default bridge, no network", () => {
    expect(refusal(outage, prior({}, "host"))).toContain("network mode is host");
    expect(refusal(outage, prior({}, "none"))).toContain("network mode is none");
    expect(refusal(outage, prior({ bridge: endpoint }, "default"))).toContain("default bridge");
    expect(refusal(outage, prior({}))).toBe("it is attached to no Docker network");
    expect(refusal(outage, prior({ "net-a": endpoint }))).toBeUndefined();
  });
});
