import type { FaultSpec } from "../../experiment/schema.js";
import type { InjectorRegistry } from "../../faults/injector-registry.js";
import type { PlannedFault } from "../../interfaces/injector.js";
import { createProbe, ProbeConfigError } from "../../probes/probe-factory.js";
import { PrometheusClient } from "../../probes/prometheus-client.js";
import { createExpectation } from "../../run/expectations/expectation-factory.js";
import type { ResolvedInput } from "../inputs.js";

export interface FaultPlan {
  fault: FaultSpec;
  plan?: PlannedFault;
  problem?: string;
}

export interface PreflightReport {
  faults: FaultPlan[];
  /** Every problem found, in the order a run's preflight would meet them; empty when it would pass. */
  problems: string[];
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The checks of a run's preflight, but every one of them, collecting the problems instead of
 * stopping at the first: each fault resolved against its target, Prometheus, each metric
 * source's configuration and the load URL. Touches nothing.
 */
export async function collectPreflight(
  input: ResolvedInput,
  injectors: InjectorRegistry,
): Promise<PreflightReport> {
  const { spec } = input.experiment;
  const problems: string[] = [];
  const faults = await Promise.all(
    spec.faults.map(async (fault): Promise<FaultPlan> => {
      try {
        return { fault, plan: await injectors.for(fault).plan(fault) };
      } catch (err) {
        const text = message(err);
        return { fault, problem: text.includes(`"${fault.name}"`) ? text : `fault "${fault.name}": ${text}` };
      }
    }),
  );
  for (const f of faults) if (f.problem) problems.push(f.problem);
  const prometheus = PrometheusClient.forTarget(input.target);
  if (prometheus) await prometheus.ping().catch((err) => problems.push(message(err)));
  // The same probe construction as the run's, so a scrape target or promql without Prometheus is caught.
  const probeContext = { target: input.target, prometheus };
  const tryProbe = (what: string, build: () => unknown) => {
    try {
      build();
    } catch (err) {
      if (!(err instanceof ProbeConfigError)) throw err;
      problems.push(`${what}: ${err.message}`);
    }
  };
  // source: load needs the run's load generator; the schema already ties it to spec.load.
  for (const s of spec.steadyState)
    if (s.source !== "load") tryProbe(`steady state "${s.name}"`, () => createProbe(s, probeContext));
  for (const a of spec.abortWhen)
    if (a.source !== "load")
      tryProbe(`abort condition "${a.name ?? "condition"}"`, () => createProbe(a, probeContext));
  for (const e of spec.expect)
    if (e.source !== "load")
      tryProbe(`expectation "${e.name}"`, () => createExpectation(e, probeContext, spec.recovery.within));
  if (spec.load) {
    try {
      const res = await fetch(spec.load.url, { signal: AbortSignal.timeout(spec.load.timeout) });
      await res.arrayBuffer();
    } catch (err) {
      problems.push(`load target ${spec.load.url} is not reachable: ${message(err)}`);
    }
  }
  return { faults, problems };
}
