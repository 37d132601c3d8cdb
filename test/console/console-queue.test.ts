import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningConsole, startConsole } from "../../src/console/console-server.js";
import { type PrivateTarget, queueExperiment, startPrivateTarget } from "../queue/support/private-target.js";
import { spawnWorker, type WorkerProcess, waitUntil } from "../queue/support/queue-processes.js";
import { type PrivateRedis, startPrivateRedis } from "../queue/support/redis-server.js";
import { runCli } from "../support/cli.js";
import { launchBrowser, shot } from "./support/browser.js";

/**
 * A queue worker whose state folder the console does not see (as on another machine): the live
 * view comes from the Redis progress channel, the abort goes over the Redis control channel.
 */
describe("gameday console with the queue: live from Redis progress, abort over Redis (private Redis and Toxiproxy)", () => {
  let r: PrivateRedis;
  let t: PrivateTarget;
  let worker: WorkerProcess;
  let consoleServer: RunningConsole;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const prefix = "console";

  beforeAll(async () => {
    r = await startPrivateRedis();
    t = await startPrivateTarget(["t1"]);
    worker = await spawnWorker([
      "--state-dir",
      t.stateDir,
      "--targets",
      t.targets,
      "--redis",
      r.url,
      "--prefix",
      prefix,
    ]);
    consoleServer = await startConsole({
      stateDir: mkdtempSync(join(tmpdir(), "gameday-console-elsewhere-")),
      host: "127.0.0.1",
      port: 0,
      redis: { url: r.url, prefix },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await consoleServer?.close();
    await worker?.kill("SIGTERM");
    await t?.stop();
    await r?.stop();
  });

  it("shows the worker's run live and aborts it: the worker rolls the toxic back", async () => {
    const file = t.write("long.yaml", queueExperiment({ name: "queued-long", faultFor: "60s" }));
    const res = await runCli(["enqueue", file, "--targets", t.targets, "--redis", r.url, "--prefix", prefix]);
    expect(res.code, res.stderr).toBe(0);
    await waitUntil("the toxic", async () => (await t.leftovers()).length > 0, 30_000).catch((err) => {
      throw new Error(`${(err as Error).message}\nworker:\n${worker.log()}`);
    });
    const page = await browser.context.newPage();
    await page.goto(consoleServer.url);
    await page
      .waitForSelector("section[data-remote-run] .v-running", { timeout: 20_000 })
      .catch(async (err) => {
        throw new Error(
          `${(err as Error).message}\npage:\n${await page.locator("main").textContent()}\nworker:\n${worker.log()}`,
        );
      });
    const runId = await page.locator("section[data-remote-run]").getAttribute("data-remote-run");
    await page.waitForFunction(
      () => document.querySelector("section[data-remote-run]")?.textContent?.includes("active faults: slow"),
      null,
      { timeout: 10_000 },
    );
    await page.screenshot({ path: shot("console-queue-live") });
    page.once("dialog", (d) => void d.accept());
    await page.locator("section[data-remote-run] button.abort").click();
    await page.waitForFunction(
      () => document.querySelector(".abort-result")?.textContent?.includes("abort sent to the worker"),
      null,
      { timeout: 10_000 },
    );
    await waitUntil("the toxic reverted", async () => (await t.leftovers()).length === 0, 20_000);
    expect(worker.log()).toContain(`${runId}: abort requested from the console`);
    // the history (from Redis) then shows the run aborted, and a second abort is refused
    const run = await waitUntil(
      "the aborted record",
      async () =>
        (
          (await (await fetch(`${consoleServer.url}/api/runs`)).json()) as {
            runId: string;
            verdict?: string;
          }[]
        ).find((x) => x.runId === runId && x.verdict === "aborted"),
      20_000,
    );
    expect(run.verdict).toBe("aborted");
    const again = await fetch(`${consoleServer.url}/api/runs/${runId}/abort`, { method: "POST" });
    expect(again.status).toBe(409);
    await page.goto(`${consoleServer.url}/schedules`);
    expect((await page.locator("main").textContent()) ?? "").toContain("No schedule");
    await page.close();
  }, 120_000);
});
