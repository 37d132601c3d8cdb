import { DockerInjector } from "../src/faults/docker/docker-injector.js";
import { TOXIPROXY_IMAGE } from "../test/support/docker-engine.js";
import { startNetnsEngine } from "../test/support/netns-docker-engine.js";
import { type Latencies, measureActions } from "./support/docker-actions.js";

const LABEL = "gameday.bench";

/**
 * network-outage needs a container on a Docker network: it runs on a private engine inside a network
 * namespace the bench makes (test/support/netns-docker-engine.ts), on two networks, one address fixed.
 */
export async function networkOutage(rounds: number, log: (m: string) => void): Promise<Latencies> {
  const engine = await startNetnsEngine([TOXIPROXY_IMAGE]);
  try {
    const d = engine.docker;
    await d.createNetwork({ Name: "bench-a", IPAM: { Config: [{ Subnet: "192.0.2.0/28" }] } });
    await d.createNetwork({ Name: "bench-b", IPAM: { Config: [{ Subnet: "198.51.100.0/28" }] } });
    const name = "gameday-bench-net";
    const c = await d.createContainer({
      name,
      Image: TOXIPROXY_IMAGE,
      Labels: { [LABEL]: name },
      HostConfig: { NetworkMode: "bench-a" },
      NetworkingConfig: {
        EndpointsConfig: { "bench-a": { Aliases: ["api"], IPAMConfig: { IPv4Address: "192.0.2.5" } } },
      },
    });
    await d.getNetwork("bench-b").connect({ Container: c.id, EndpointConfig: { Aliases: ["api-b"] } });
    await c.start();
    const injector = new DockerInjector(
      { socket: engine.socket, projects: [], labels: { [LABEL]: name } },
      () => {},
    );
    return await measureActions(
      injector,
      name,
      { "network-outage": { action: "network-outage" } },
      rounds,
      log,
    );
  } finally {
    await engine.stop();
  }
}
