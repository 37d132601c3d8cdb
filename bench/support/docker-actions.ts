import { faultSchema } from "../../src/experiment/schema.js";
import type { DockerInjector } from "../../src/faults/docker/docker-injector.js";
import { median } from "./stats.js";

export type Latencies = Record<string, { inject: number[]; revert: number[] }>;

/** Inject, then revert + verify (as the runner does), of each action on one container; the first round warms up. */
export async function measureActions(
  injector: DockerInjector,
  name: string,
  actions: Record<string, Record<string, unknown>>,
  rounds: number,
  log: (m: string) => void,
): Promise<Latencies> {
  const raw: Latencies = {};
  for (const [action, spec] of Object.entries(actions)) {
    const fault = faultSchema.parse({
      name: `bench-${action}`,
      for: "30s",
      docker: { select: { name }, ...spec },
    });
    const r = { inject: [] as number[], revert: [] as number[] };
    for (let i = 0; i < rounds + 1; i++) {
      const t0 = performance.now();
      const active = await injector.inject(fault, { runId: `bench${i}`, experiment: "bench" });
      const t1 = performance.now();
      await active.revert();
      await active.verifyReverted();
      const t2 = performance.now();
      if (i === 0) continue;
      r.inject.push(t1 - t0);
      r.revert.push(t2 - t1);
    }
    raw[action] = r;
    log(
      `docker ${action}: inject ${median(r.inject).toFixed(0)} ms, revert ${median(r.revert).toFixed(0)} ms`,
    );
  }
  return raw;
}
