import { join } from "node:path";
import { DEFAULT_TOXIPROXY_PORT } from "../../sandbox-services/lib/topology.js";
import type { ResolvedInput } from "../cli/inputs.js";
import { PreflightError } from "../errors/gameday-error.js";
import { loadExperiment } from "../experiment/experiment-loader.js";
import { discoverSandbox } from "../faults/config/sandbox-discovery.js";
import { resolveLayout, type SandboxPorts } from "../sandbox/sandbox-layout.js";
import { readState } from "../sandbox/sandbox-state.js";
import type { Target, TargetsFile } from "../targets/targets-schema.js";

/** Every port of a sandbox layout, flat. */
export function layoutPorts(ports: SandboxPorts): number[] {
  return [
    ...Object.values(ports.services),
    ...Object.values(ports.proxies),
    ports.toxiproxy,
    ports.prometheus,
  ];
}

/** Moves every 127.0.0.1/localhost URL on one of `ports` by `delta`; other text is left as it is. */
export function shiftUrl(text: string, ports: readonly number[], delta: number): string {
  return text.replace(/(\/\/(?:127\.0\.0\.1|localhost|\[::1\]):)(\d+)/g, (all, head: string, port: string) =>
    ports.includes(Number(port)) ? `${head}${Number(port) + delta}` : all,
  );
}

/**
 * The target of an isolated instance: the sandbox target with each of its sandbox ports moved by
 * the instance's offset (vars, Toxiproxy, Prometheus, scrape URLs). Reach does not grow: the same
 * proxies, the same mutableEnv, only on the instance's own ports.
 */
export function shiftTarget(target: Target, ports: readonly number[], delta: number): Target {
  const s = (t: string) => shiftUrl(t, ports, delta);
  return {
    ...target,
    vars: Object.fromEntries(Object.entries(target.vars).map(([k, v]) => [k, s(v)])),
    scrape: Object.fromEntries(Object.entries(target.scrape).map(([k, v]) => [k, s(v)])),
    ...(target.toxiproxy ? { toxiproxy: { ...target.toxiproxy, url: s(target.toxiproxy.url) } } : {}),
    ...(target.prometheus ? { prometheus: { url: s(target.prometheus.url) } } : {}),
    // An instance's control endpoints have its own token file: app faults stay on the main sandbox.
    app: undefined,
  };
}

/** One isolated sandbox: its own state dir and port offset, its shifted target and re-interpolated experiments. */
export interface SandboxInstance {
  index: number;
  stateDir: string;
  portOffset: number;
  target: Target;
  inputs: ResolvedInput[];
}

/** The process sandbox behind a target: its state dir and its current port offset. */
export async function baseSandbox(
  target: Target,
): Promise<{ stateDir: string; ports: SandboxPorts; offset: number }> {
  const found = await discoverSandbox(target);
  if (found?.runtime !== "process" || !found)
    throw new PreflightError(
      "--parallel needs the process sandbox running behind the target (gameday sandbox up)",
    );
  const state = readState(resolveLayout({ stateDir: found.instance }));
  if (!state) throw new PreflightError(`no sandbox state in ${found.instance}`);
  return {
    stateDir: found.instance,
    ports: state.ports,
    offset: state.ports.toxiproxy - DEFAULT_TOXIPROXY_PORT,
  };
}

/** Plans instance `index` (1-based) at base offset + index * step, re-reading the experiments against its target. */
export async function planInstance(
  index: number,
  base: { ports: SandboxPorts; offset: number },
  step: number,
  targetName: string,
  target: Target,
  targets: TargetsFile,
  inputs: ResolvedInput[],
  dir: string,
): Promise<SandboxInstance> {
  const delta = index * step;
  const shifted = shiftTarget(target, layoutPorts(base.ports), delta);
  const loaded = {
    file: `${targetName}@instance-${index}`,
    targets: { ...targets, targets: { ...targets.targets, [targetName]: shifted } },
  };
  const out: ResolvedInput[] = [];
  for (const input of inputs) {
    if (input.targetName !== targetName)
      throw new PreflightError(
        `--parallel: experiment ${input.file} uses target ${input.targetName}, not ${targetName}`,
      );
    // The environment wins over target vars, so a GATEWAY_URL exported for the main sandbox would
    // point every instance back at it: the instance's own vars win here.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !Object.hasOwn(shifted.vars, k)),
    );
    const l = await loadExperiment(input.file, { targets: loaded, env });
    out.push({ ...input, experiment: l.experiment, target: shifted });
  }
  return {
    index,
    stateDir: join(dir, `sandbox-${index}`),
    portOffset: base.offset + delta,
    target: shifted,
    inputs: out,
  };
}
