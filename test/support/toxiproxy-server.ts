import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { toxiproxyServerBin } from "../../src/sandbox/tools.js";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export interface RunningToxiproxy {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts a private real Toxiproxy server on a free loopback port. Fails loudly when the binary is
 * missing: tests never skip because a service is absent.
 */
export async function startToxiproxy(): Promise<RunningToxiproxy> {
  const bin = toxiproxyServerBin();
  const port = await freePort();
  const child: ChildProcess = spawn(bin, ["-host", "127.0.0.1", "-port", String(port)], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`toxiproxy-server (${bin}) exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/version`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`toxiproxy-server (${bin}) did not answer at ${url} within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, port, stop };
}
