import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsolePortInUseError } from "../../src/console/console-errors.js";
import { type RunningConsole, startConsole } from "../../src/console/console-server.js";
import { hasOwnerPrefix } from "../../src/faults/owner-tag.js";
import { CLI, runCli } from "../support/cli.js";
import { ensureSandbox } from "../support/sandbox.js";
import { launchBrowser, shot } from "./support/browser.js";

/** The shared sandbox, or a helper's own stack when GAMEDAY_SANDBOX_PORT_OFFSET shifts it. */
const OFFSET = Number(process.env.GAMEDAY_SANDBOX_PORT_OFFSET ?? 0);
const port = (p: number) => p + OFFSET;
const TOXIPROXY = `http://127.0.0.1:${port(8474)}`;

const dir = mkdtempSync(join(tmpdir(), "gameday-console-"));
const stateDir = join(dir, "state");
const targets = join(dir, "targets.yaml");
writeFileSync(
  targets,
  `apiVersion: gameday/v1
kind: Targets
targets:
  sandbox:
    vars: { GATEWAY_URL: "http://127.0.0.1:${port(18080)}" }
    toxiproxy: { url: "${TOXIPROXY}", proxies: [orders, payments, risk] }
    prometheus: { url: "http://127.0.0.1:${port(19090)}" }
    scrape:
      orders: http://127.0.0.1:${port(18081)}/metrics
`,
);

function experimentFile(name: string, faultFor: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: gameday/v1
kind: Experiment
metadata: { name: console-live, description: "Payments slows by 300 ms; checkout keeps serving." }
spec:
  target: sandbox
  sampleInterval: 500ms
  load: { url: "\${GATEWAY_URL}/checkout", rate: 20, timeout: 2s }
  steadyState:
    - { name: checkout answers, source: load, metric: errorRatio, below: 0.9, over: 1s }
  faults:
    - { name: slow-payments, at: 1s, for: ${faultFor}, toxiproxy: { proxy: payments, toxic: latency, latency: 300ms } }
  expect:
    - { name: checkout keeps serving, source: load, metric: errorRatio, below: 0.5, during: slow-payments }
    - { name: checkout p95 under 1.5 s, source: load, metric: p95, below: 1500, during: slow-payments }
  recovery: { within: 15s }
`,
  );
  return file;
}

async function toxics(): Promise<string[]> {
  const proxies = (await (await fetch(`${TOXIPROXY}/proxies`)).json()) as Record<
    string,
    { toxics: { name: string }[] }
  >;
  return Object.values(proxies).flatMap((p) => p.toxics.map((t) => t.name));
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

describe("gameday console against a real run on the sandbox, in a real browser", () => {
  let consoleServer: RunningConsole;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    await ensureSandbox();
    consoleServer = await startConsole({ stateDir, host: "127.0.0.1", port: 0 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await browser?.close();
    await consoleServer?.close();
  });

  it("two short runs finish; --html writes one page with a section (and charts) for each", async () => {
    const short = experimentFile("short", "3s");
    const suite = join(dir, "suite.html");
    const res = await runCli([
      "run",
      short,
      short,
      "--targets",
      targets,
      "--state-dir",
      stateDir,
      "--quiet",
      "--html",
      suite,
    ]);
    expect(res.code, res.stderr + res.stdout).toBe(0);
    const page = await browser.context.newPage();
    await page.goto(`file://${suite}`);
    await page.waitForSelector("body[data-charts-ready='1']");
    expect(await page.locator("section[data-run]").count()).toBe(2);
    expect(await page.locator("section[data-run] [data-chart=load] .uplot").count()).toBe(2);
    // the second run is compared with the first
    expect(await page.locator("section[data-run]").nth(1).locator("table.compare").count()).toBe(1);
    await page.screenshot({ path: shot("gameday-html"), fullPage: true });
    await page.close();
  });

  it("shows a live run, its chart gains points while the fault is active, and abort rolls the toxic back", async () => {
    child = spawn(
      process.execPath,
      [CLI, "run", experimentFile("long", "60s"), "--targets", targets, "--state-dir", stateDir],
      {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, NO_COLOR: "1" },
      },
    );
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child?.on("close", (code) => resolve(code)));
    const page = await browser.context.newPage();
    await page.goto(consoleServer.url);
    await page.waitForSelector("section[data-live] [data-part=verdict] .v-running", { timeout: 30_000 });
    // The fault is in Toxiproxy, and the page says so.
    await until("the toxic in Toxiproxy", async () => (await toxics()).some(hasOwnerPrefix));
    await page.waitForFunction(
      () => document.querySelector("[data-part=faults]")?.textContent?.includes("active"),
      null,
      { timeout: 20_000 },
    );
    const points = () =>
      page
        .locator("[data-chart=load] .uplot")
        .first()
        .evaluate((e) => Number((e as HTMLElement).dataset.points));
    await page.locator("[data-chart=load] .uplot").first().waitFor({ timeout: 20_000 });
    const before = await points();
    await page.waitForFunction(
      (n) =>
        Number((document.querySelector("[data-chart=load] .uplot") as HTMLElement | null)?.dataset.points) >
        n + 3,
      before,
      { timeout: 20_000 },
    );
    const after = await points();
    expect(after).toBeGreaterThan(before);
    await page.screenshot({ path: shot("console-live") });

    page.once("dialog", (d) => void d.accept());
    await page.locator("button.abort").click();
    await page.waitForFunction(
      () => document.querySelector(".abort-result")?.textContent?.includes("abort requested"),
      null,
      { timeout: 10_000 },
    );
    expect(await exited, stderr).toBe(3);
    expect(await toxics()).toEqual([]);
    await page.waitForSelector("[data-part=verdict] [data-verdict=aborted]", { timeout: 15_000 });
    await page.screenshot({ path: shot("console-aborted"), fullPage: true });
    await page.close();
  }, 180_000);

  it("abort of a run that already ended: a clear answer, nothing touched", async () => {
    const runs = (await (await fetch(`${consoleServer.url}/api/runs`)).json()) as {
      runId: string;
      verdict: string;
    }[];
    const ended = runs.find((r) => r.verdict === "aborted");
    expect(ended).toBeDefined();
    const res = await fetch(`${consoleServer.url}/api/runs/${ended?.runId}/abort`, { method: "POST" });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { message: string }).message).toMatch(
      /already ended \(verdict aborted\): nothing to abort, nothing was touched/,
    );
  });

  it("history and trend pages show the finished runs", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${consoleServer.url}/runs`);
    expect(await page.locator("table.history tbody tr").count()).toBe(3);
    await page.screenshot({ path: shot("console-history"), fullPage: true });
    await page.goto(`${consoleServer.url}/runs?verdict=aborted`);
    expect(await page.locator("table.history tbody tr").count()).toBe(1);
    await page.goto(`${consoleServer.url}/trends?experiment=console-live`);
    await page.locator("[data-trend-chart] .uplot").first().waitFor();
    expect(await page.locator("section.trend th a").count()).toBe(3);
    await page.screenshot({ path: shot("console-trend"), fullPage: true });
    await page.goto(`${consoleServer.url}/trends?gameDay=none`);
    expect((await page.locator(".empty").textContent()) ?? "").toContain("No finished run");
    const first = (await (await fetch(`${consoleServer.url}/api/runs`)).json()) as { runId: string }[];
    await page.goto(`${consoleServer.url}/runs/${first.at(-1)?.runId}`);
    await page.waitForSelector("body[data-charts-ready='1']");
    expect(await page.locator(".uplot").count()).toBeGreaterThan(1);
    await page.screenshot({ path: shot("console-run-page"), fullPage: true });
    await page.close();
  });

  it("a console started twice on the same port: a clear error", async () => {
    const busy = Number(new URL(consoleServer.url).port);
    await expect(startConsole({ stateDir, host: "127.0.0.1", port: busy })).rejects.toBeInstanceOf(
      ConsolePortInUseError,
    );
    const cli = await runCli(["console", "--state-dir", stateDir, "--port", String(busy)], {
      timeoutMs: 20_000,
    });
    expect(cli.code).toBe(5);
    expect(cli.stderr).toContain(`127.0.0.1:${busy} is already in use`);
    const open = await runCli(["console", "--host", "0.0.0.0", "--port", "0"], {
      timeoutMs: 20_000,
      env: { GAMEDAY_CONSOLE_TOKEN: "" },
    });
    expect(open.code).toBe(2);
    expect(open.stderr).toContain("refusing to serve the console on 0.0.0.0");
  });
});
