import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import type { SandboxEndpoints } from "../../src/sandbox/sandbox-stack.js";
import { CLI, REPO, runCli } from "../support/cli.js";
import { ensureSandbox, SANDBOX_STATE_DIR } from "../support/sandbox.js";

/**
 * `gameday prove` against the real sandbox (on $GAMEDAY_SANDBOX_PORT_OFFSET if set): the matrix
 * and exit codes, and the mutant reverted on every way out (done, SIGINT, SIGTERM, kill -9 + recover).
 */
const FIXTURES = join(REPO, "test/prove/fixtures");
let endpoints: SandboxEndpoints;
let dir: string;
let targets: string;

function writeTargets(e: SandboxEndpoints, file: string): void {
  const scrape = Object.entries(e.metricsUrls)
    .map(([k, v]) => `      ${k}: ${v}`)
    .join("\n");
  writeFileSync(
    file,
    `apiVersion: gameday/v1\nkind: Targets\ntargets:\n  sandbox:\n    vars: { GATEWAY_URL: "${e.gatewayUrl}" }\n` +
      `    toxiproxy: { url: "${e.toxiproxyUrl}", proxies: [orders, payments, risk] }\n` +
      `    prometheus: { url: "${e.prometheusUrl}" }\n    scrape:\n${scrape}\n    mutableEnv: [SANDBOX_BREAK]\n`,
  );
}

/** The switches every service runs with now, and the mutant markers in the sandbox's state dir. */
async function applied(): Promise<{ breaks: string[]; markers: string[]; toxics: number }> {
  const breaks = new Set<string>();
  for (const url of Object.values(endpoints.serviceUrls)) {
    const h = (await (await fetch(`${url}/health`)).json()) as { config: { breaks: string[] } };
    for (const b of h.config.breaks) breaks.add(b);
  }
  const mdir = join(SANDBOX_STATE_DIR, "mutants");
  const markers = existsSync(mdir) ? readdirSync(mdir) : [];
  const proxies = (await (await fetch(`${endpoints.toxiproxyUrl}/proxies`)).json()) as Record<
    string,
    { toxics: unknown[] }
  >;
  const toxics = Object.values(proxies).reduce((n, p) => n + p.toxics.length, 0);
  return { breaks: [...breaks], markers, toxics };
}

const clean = { breaks: [], markers: [], toxics: 0 };

function spawnProve(args: string[]): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [CLI, "prove", ...args], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: "1" },
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, output: () => out, exit };
}

async function waitForOutput(output: () => string, pattern: RegExp, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(output())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output:\n${output()}`);
    await sleep(200);
  }
}

beforeAll(async () => {
  endpoints = await ensureSandbox();
  dir = mkdtempSync(join(tmpdir(), "prove-sandbox-"));
  targets = join(dir, "targets.yaml");
  writeTargets(endpoints, targets);
});

/** `gameday prove <fixture>` on this file's targets and state folder, with more options. */
const proveCli = (gameday: string, ...extra: string[]) =>
  runCli(
    ["prove", join(FIXTURES, gameday), "--targets", targets, "--state-dir", join(dir, "state"), ...extra],
    { timeoutMs: 300_000 },
  );

describe("gameday prove on the real sandbox", () => {
  it("kills the breaker mutant, names the jitter survivor, exits 1 and writes the matrix in three formats", async () => {
    const out = join(dir, "km");
    const r = await proveCli(
      "breaker-gameday.yaml",
      "--json",
      `${out}.json`,
      "--report",
      `${out}.md`,
      "--junit",
      `${out}.xml`,
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/SURVIVED: no-jitter/);
    const m = JSON.parse(readFileSync(`${out}.json`, "utf8"));
    expect(m.healthy.passed).toBe(true);
    expect(m.mutants.map((x: { mutant: string; status: string }) => [x.mutant, x.status])).toEqual([
      ["no-breaker", "killed"],
      ["no-jitter", "survived"],
    ]);
    expect(m.mutants[0].killedBy).toEqual(["breaker-opens / orders opens its breaker to payments"]);
    expect(m.score).toMatchObject({ killed: 1, total: 2 });
    expect(readFileSync(`${out}.md`, "utf8")).toMatch(
      /\| breaker-opens \/ orders opens its breaker to payments \| KILLED \| held \|/,
    );
    expect(readFileSync(`${out}.xml`, "utf8")).toMatch(/mutant no-jitter is killed[\s\S]*MutantSurvived/);
    expect(await applied()).toEqual(clean);
  });

  it("--parallel 2: the second mutant runs in an isolated sandbox on its own ports, same matrix, instance stopped after", async () => {
    const json = join(dir, "kmp.json");
    const r = await proveCli("breaker-gameday.yaml", "--parallel", "2", "--json", json);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/mutant no-jitter \(instance 1\)/);
    const m = JSON.parse(readFileSync(json, "utf8"));
    expect(m.mutants.map((x: { status: string }) => x.status)).toEqual(["killed", "survived"]);
    const instanceGateway = endpoints.gatewayUrl.replace(/:(\d+)$/, (_, p: string) => `:${Number(p) + 100}`);
    await expect(fetch(`${instanceGateway}/health`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    expect(await applied()).toEqual(clean);
  });

  it("exits 0 when every mutant is killed", async () => {
    const r = await proveCli("killed-gameday.yaml");
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/mutation score 1\/1 \(100%\)/);
    expect(await applied()).toEqual(clean);
  });

  it("--full-matrix runs the killed mutant's experiment to the end, deciding every cell", async () => {
    const json = join(dir, "kmf.json");
    const r = await proveCli("killed-gameday.yaml", "--full-matrix", "--json", json);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(json, "utf8"));
    expect(m.fullMatrix).toBe(true);
    expect(Object.values(m.mutants[0].cells)).not.toContain("not-run");
    expect(m.mutants[0].cells["breaker-opens / orders opens its breaker to payments"]).toBe("killed");
    expect(await applied()).toEqual(clean);
  });

  it.each(["SIGINT", "SIGTERM"] as const)(
    "%s while a mutant is applied: rolled back, mutant reverted, exit 3",
    async (signal) => {
      const p = spawnProve([
        join(FIXTURES, "killed-gameday.yaml"),
        "--targets",
        targets,
        "--state-dir",
        join(dir, "state"),
      ]);
      await waitForOutput(p.output, /mutant no-breaker \(main\)/);
      expect((await applied()).breaks).toEqual(["breaker"]);
      await sleep(3000); // into the method: the experiment's toxic is in
      p.child.kill(signal);
      expect(await p.exit, p.output()).toBe(3);
      expect(await applied()).toEqual(clean);
    },
  );

  it("kill -9 leaves the mutant tagged in the sandbox; gameday recover reverts it without the journal", async () => {
    const p = spawnProve([
      join(FIXTURES, "killed-gameday.yaml"),
      "--targets",
      targets,
      "--state-dir",
      join(dir, "state"),
    ]);
    await waitForOutput(p.output, /mutant no-breaker \(main\)/);
    await sleep(3000);
    p.child.kill("SIGKILL");
    await p.exit;
    const left = await applied();
    expect(left.breaks).toEqual(["breaker"]);
    expect(left.markers).toHaveLength(1);
    const dry = await runCli(["recover", "--targets", targets, "--dry-run"]);
    expect(dry.stdout).toMatch(
      /would revert gameday[.@]\S+\.no-breaker \(sandbox\/config\): sandbox switch breaker/,
    );
    const r = await runCli(["recover", "--targets", targets], { timeoutMs: 120_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await applied()).toEqual(clean);
  });

  it("refuses to start while an earlier mutant is still applied (exit 4, nothing changed)", async () => {
    mkdirSync(join(SANDBOX_STATE_DIR, "mutants"), { recursive: true });
    writeFileSync(
      join(SANDBOX_STATE_DIR, "mutants", "gameday.stale-run.no-jitter.json"),
      JSON.stringify({
        ownerTag: "gameday.stale-run.no-jitter",
        runId: "stale-run",
        change: "jitter",
        stateDir: SANDBOX_STATE_DIR,
        prior: [],
        applied: ["jitter"],
        at: new Date().toISOString(),
      }),
    );
    try {
      const r = await proveCli("killed-gameday.yaml");
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(
        /still has configuration changes applied by gameday: sandbox switch jitter.*run gameday recover/,
      );
    } finally {
      const r = await runCli(["recover", "--targets", targets], { timeoutMs: 120_000 });
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    expect(await applied()).toEqual(clean);
  });
});
