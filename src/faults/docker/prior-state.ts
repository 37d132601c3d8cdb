import type Docker from "dockerode";
import { z } from "zod";

/**
 * One Docker network endpoint, as configured: what `network connect` takes back. A dynamically
 * assigned address on a user-defined network is not part of it: the Engine picks one again on any
 * reconnect, and peers find the container by alias (Docker's DNS).
 */
const endpointSchema = z.object({
  aliases: z.array(z.string()),
  ipv4Address: z.string(),
  ipv6Address: z.string(),
  linkLocalIps: z.array(z.string()).default([]),
  links: z.array(z.string()),
  driverOpts: z.record(z.string(), z.string()).default({}),
});
export type Endpoint = z.infer<typeof endpointSchema>;

/** Markers written before endpoints were recorded kept only the aliases: read them as such. */
const aliasesOnly = z.array(z.string()).transform(
  (aliases): Endpoint => ({
    aliases,
    ipv4Address: "",
    ipv6Address: "",
    linkLocalIps: [],
    links: [],
    driverOpts: {},
  }),
);

/**
 * What a container was before gameday touched it: exactly what a revert must bring back and verify.
 * Stored as JSON in the owner marker's labels, so `gameday recover` can restore it without a journal.
 */
export const priorStateSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  running: z.boolean(),
  paused: z.boolean(),
  memory: z.number(),
  memorySwap: z.number(),
  cpuQuota: z.number(),
  nanoCpus: z.number(),
  restartPolicy: z.strictObject({ name: z.string(), maximumRetryCount: z.number() }),
  oomScoreAdj: z.number(),
  /** network name -> its endpoint as the user configured it, so a network outage reconnects each one as it was */
  networks: z.record(z.string(), z.union([endpointSchema, aliasesOnly])),
  networkMode: z.string(),
});
export type PriorState = z.infer<typeof priorStateSchema>;

const withoutShortId = (aliases: string[], shortId: string) => aliases.filter((a) => a !== shortId).sort();

export function containerName(info: Docker.ContainerInspectInfo): string {
  return info.Name.replace(/^\//, "");
}

export function priorStateOf(info: Docker.ContainerInspectInfo): PriorState {
  const hc = info.HostConfig;
  // The Engine adds the short container id as an alias on every user-defined network by itself.
  const shortId = info.Id.slice(0, 12);
  const networks = Object.fromEntries(
    // dockerode types these fields `any`; they are the Engine's EndpointSettings.
    Object.entries(info.NetworkSettings.Networks ?? {}).map(([name, raw]): [string, Endpoint] => {
      const ep = raw as Docker.EndpointSettings;
      return [
        name,
        {
          aliases: withoutShortId(ep.Aliases ?? [], shortId),
          ipv4Address: ep.IPAMConfig?.IPv4Address ?? "",
          ipv6Address: ep.IPAMConfig?.IPv6Address ?? "",
          linkLocalIps: [...(ep.IPAMConfig?.LinkLocalIPs ?? [])].sort(),
          links: [...(ep.Links ?? [])].sort(),
          driverOpts: ep.DriverOpts ?? {},
        },
      ];
    }),
  );
  return {
    id: info.Id,
    name: containerName(info),
    running: info.State.Running,
    paused: info.State.Paused,
    memory: hc.Memory ?? 0,
    memorySwap: hc.MemorySwap ?? 0,
    cpuQuota: hc.CpuQuota ?? 0,
    nanoCpus: hc.NanoCpus ?? 0,
    restartPolicy: {
      name: hc.RestartPolicy?.Name ?? "",
      maximumRetryCount: hc.RestartPolicy?.MaximumRetryCount ?? 0,
    },
    oomScoreAdj: hc.OomScoreAdj ?? 0,
    networks,
    networkMode: hc.NetworkMode ?? "",
  };
}

/** A CPU quota of 0 and of -1 both mean "none" to the kernel; the Engine can only write -1 back. */
const quota = (q: number) => (q <= 0 ? -1 : q);

export type StateField = "run" | "memory" | "cpu" | "restartPolicy" | "networks";
const ALL: readonly StateField[] = ["run", "memory", "cpu", "restartPolicy", "networks"];

/**
 * Differences between the state now and the prior state, in words; empty means restored. `fields`
 * limits the comparison to what one action changes, so two faults overlapping on one container
 * (a squeeze and a hog) each verify their own part.
 */
export function stateDifferences(
  prior: PriorState,
  now: PriorState,
  fields: readonly StateField[] = ALL,
): string[] {
  const out: string[] = [];
  const check = (field: StateField, what: string, was: unknown, is: unknown) => {
    if (fields.includes(field) && JSON.stringify(was) !== JSON.stringify(is))
      out.push(`${what} is ${JSON.stringify(is)}, was ${JSON.stringify(was)}`);
  };
  check("run", "running", prior.running, now.running);
  check("run", "paused", prior.paused, now.paused);
  check("memory", "memory limit", prior.memory, now.memory);
  check("memory", "memory+swap limit", prior.memorySwap, now.memorySwap);
  check("cpu", "CPU quota", quota(prior.cpuQuota), quota(now.cpuQuota));
  check("cpu", "NanoCpus", prior.nanoCpus, now.nanoCpus);
  check("restartPolicy", "restart policy", prior.restartPolicy, now.restartPolicy);
  check("networks", "networks", Object.keys(prior.networks).sort(), Object.keys(now.networks).sort());
  const shortId = prior.id.slice(0, 12); // an older marker may still list it
  for (const [name, endpoint] of Object.entries(prior.networks))
    if (now.networks[name])
      check(
        "networks",
        `endpoint on ${name}`,
        { ...endpoint, aliases: withoutShortId(endpoint.aliases, shortId) },
        now.networks[name],
      );
  return out;
}
