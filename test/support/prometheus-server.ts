import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { prometheusBin } from "../../src/sandbox/tools.js";
import { freePort } from "./toxiproxy-server.js";

export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

/**
 * A private real Prometheus on a free loopback port, scraping `jobs` (name -> host:port) every
 * second, its data in `dir`; with `rules` (a rule file's text) it evaluates them every second.
 * Fails loudly when the binary is missing.
 */
export async function startPrometheus(
  dir: string,
  jobs: Record<string, string>,
  rules?: string,
): Promise<RunningPrometheus> {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, "prometheus.yml");
  const scrapes = Object.entries(jobs).map(
    ([job, address]) => `  - job_name: ${job}\n    static_configs:\n      - targets: ["${address}"]\n`,
  );
  if (rules !== undefined) writeFileSync(join(dir, "rules.yml"), rules);
  const ruleFiles = rules === undefined ? [] : ["  evaluation_interval: 1s", "rule_files: [rules.yml]"];
  writeFileSync(
    config,
    [
      "global:",
      "  scrape_interval: 1s",
      "  scrape_timeout: 1s",
      ...ruleFiles,
      "scrape_configs:",
      ...scrapes,
    ].join("\n"),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    prometheusBin(),
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: "ignore" },
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not get ready at ${url} within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop };
}
