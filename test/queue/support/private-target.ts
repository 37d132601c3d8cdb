import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { leftovers } from "../../support/experiment-files.js";
import { freePort, type RunningToxiproxy, startToxiproxy } from "../../support/toxiproxy-server.js";

/**
 * A private Toxiproxy in front of a tiny private upstream, with one proxy per target name, and a
 * workspace holding a targets file for them. Nothing here touches the shared sandbox.
 */
export interface PrivateTarget {
  toxiproxy: RunningToxiproxy;
  dir: string;
  targets: string;
  stateDir: string;
  /** Proxy listen URL by target name. */
  urls: Record<string, string>;
  write(name: string, text: string): string;
  /** Everything gameday-owned left in Toxiproxy: toxics and disabled proxies. */
  leftovers(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startPrivateTarget(names: string[] = ["t1"]): Promise<PrivateTarget> {
  const upstream: Server = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upstreamPort = (upstream.address() as { port: number }).port;
  const toxiproxy = await startToxiproxy();
  const urls: Record<string, string> = {};
  let targetsYaml = "apiVersion: gameday/v1\nkind: Targets\ntargets:\n";
  for (const name of names) {
    const port = await freePort();
    const res = await fetch(`${toxiproxy.url}/proxies`, {
      method: "POST",
      body: JSON.stringify({
        name: `up-${name}`,
        listen: `127.0.0.1:${port}`,
        upstream: `127.0.0.1:${upstreamPort}`,
      }),
    });
    if (!res.ok) throw new Error(`cannot create proxy up-${name}: ${res.status} ${await res.text()}`);
    urls[name] = `http://127.0.0.1:${port}`;
    targetsYaml += `  ${name}:\n    vars: { UP_URL: "${urls[name]}" }\n    toxiproxy: { url: "${toxiproxy.url}", proxies: [up-${name}] }\n`;
  }
  const dir = mkdtempSync(join(tmpdir(), "gameday-queue-"));
  const targets = join(dir, "targets.yaml");
  writeFileSync(targets, targetsYaml);
  return {
    toxiproxy,
    dir,
    targets,
    stateDir: join(dir, "state"),
    urls,
    write(name, text) {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    leftovers: () => leftovers(toxiproxy.url),
    async stop() {
      await toxiproxy.stop();
      upstream.closeAllConnections();
      await new Promise((r) => upstream.close(r));
    },
  };
}

/** A short experiment on a private target: 500 ms baseline, one latency fault, an HTTP check. */
export function queueExperiment(opts: {
  name: string;
  target?: string;
  faultFor?: string;
  toxic?: string;
  expect?: string;
}): string {
  const target = opts.target ?? "t1";
  return `apiVersion: gameday/v1
kind: Experiment
metadata: { name: ${opts.name} }
spec:
  target: ${target}
  sampleInterval: 500ms
  steadyState:
    - { name: upstream answers, http: { url: "\${UP_URL}/" }, equals: 200, over: 500ms }
  faults:
    - name: slow
      at: 0s
      for: ${opts.faultFor ?? "1s"}
      toxiproxy: ${opts.toxic ?? `{ proxy: up-${target}, toxic: latency, latency: 50ms }`}
  expect:
${opts.expect ?? "    []"}
  recovery: { within: 3s }
`;
}

export function gameDay(name: string, files: string[], continueOnFailure = false): string {
  return `apiVersion: gameday/v1
kind: GameDay
metadata: { name: ${name} }
spec:
  continueOnFailure: ${continueOnFailure}
  experiments:
${files.map((f) => `    - ${f}`).join("\n")}
`;
}
