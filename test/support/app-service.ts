import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServiceName } from "../../sandbox-services/lib/topology.js";
import { REPO } from "./cli.js";
import { freePort } from "./toxiproxy-server.js";

export interface AppService {
  url: string;
  controlUrl: string;
  tokenFile: string;
  token: string;
  logDir: string;
  /** GET /faults with the token. */
  faults(): Promise<{ faults: { id: string }[]; state: Record<string, unknown> }>;
  /** kill -9, as a crash would (the in-memory faults go with it). */
  kill(): Promise<void>;
  /** Starts it again on the same ports. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One real sandbox service (dist/sandbox-services/<name>.js, build first) on free loopback ports,
 * with its own token file and log folder; fails loudly when it does not come up.
 */
export async function startAppService(
  name: ServiceName,
  env: Record<string, string> = {},
): Promise<AppService> {
  const script = join(REPO, "dist", "sandbox-services", `${name}.js`);
  if (!existsSync(script)) throw new Error(`${script} is missing: build first (npx tsc -p tsconfig.json)`);
  const dir = mkdtempSync(join(tmpdir(), `gameday-app-${name}-`));
  const tokenFile = join(dir, "control-token");
  const token = `test-token-${process.pid}-${Date.now().toString(36)}`;
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  const [port, controlPort] = [await freePort(), await freePort()];
  const p = `SANDBOX_${name.toUpperCase()}_`;
  const url = `http://127.0.0.1:${port}`;
  const controlUrl = `http://127.0.0.1:${controlPort}`;
  let child: ChildProcess | undefined;
  const exited = () => !child || child.exitCode !== null || child.signalCode !== null;
  const waitExit = () =>
    new Promise<void>((resolve) => {
      if (exited()) return resolve();
      child?.once("exit", () => resolve());
    });
  const start = async () => {
    child = spawn(process.execPath, [script], {
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        PATH: process.env.PATH ?? "",
        [`${p}PORT`]: String(port),
        [`${p}CONTROL_PORT`]: String(controlPort),
        // A dependency nobody listens on: these tests break the service itself, not its calls.
        [`${p}DEPENDENCY_URL`]: "http://127.0.0.1:9",
        SANDBOX_CONTROL_TOKEN_FILE: tokenFile,
        SANDBOX_LOG_DIR: dir,
        ...env,
      },
    });
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (exited()) throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode} at start`);
      const ok = await Promise.all([
        fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        ),
        fetch(`${controlUrl}/faults`).then(
          () => true,
          () => false,
        ),
      ]);
      if (ok.every(Boolean)) return;
      if (Date.now() > deadline)
        throw new Error(`${name} did not answer on ${url} and ${controlUrl} within 15 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await start();
  return {
    url,
    controlUrl,
    tokenFile,
    token,
    logDir: dir,
    faults: async () => {
      const res = await fetch(`${controlUrl}/faults`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`GET /faults: HTTP ${res.status}`);
      return (await res.json()) as { faults: { id: string }[]; state: Record<string, unknown> };
    },
    kill: async () => {
      const done = waitExit();
      child?.kill("SIGKILL");
      await done;
    },
    start,
    stop: async () => {
      const done = waitExit();
      child?.kill("SIGTERM");
      await done;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
