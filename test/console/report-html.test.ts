import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HtmlReporter } from "../../src/report/html/html-reporter.js";
import type { RunResult } from "../../src/run/run-result.js";
import { launchBrowser, shot } from "./support/browser.js";
import { syntheticRun } from "./support/synthetic-run.js";

const state = mkdtempSync(join(tmpdir(), "gameday-report-html-"));
const T0 = Date.UTC(2026, 10, 1, 10, 0, 0);
let browser: Awaited<ReturnType<typeof launchBrowser>>;

async function writeReport(dir: string): Promise<string> {
  const result = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunResult;
  await new HtmlReporter().onSuiteEnd([result]);
  return join(dir, "report.html");
}

/** Opens a file with every non-file request blocked and recorded; returns what was requested. */
async function openOffline(file: string, name: string) {
  const page = await browser.context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  await page.route("**/*", (route) =>
    route.request().url().startsWith("file:") ? route.continue() : route.abort("blockedbyclient"),
  );
  await page.goto(`file://${file}`);
  await page.waitForSelector("body[data-charts-ready='1']", { timeout: 10_000 });
  await page.screenshot({ path: shot(name), fullPage: true });
  return { page, requests, errors };
}

describe("report.html in a real browser, opened from disk", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("draws every chart with no network request, and compares with the previous run", async () => {
    syntheticRun(state, { runId: "r-old", experiment: "payments-latency", startedAt: T0 - 86_400_000 });
    const dir = syntheticRun(state, {
      runId: "r-new",
      experiment: "payments-latency",
      startedAt: T0,
      p95Scale: 1.5,
      verdict: "failed",
    });
    const file = await writeReport(dir);
    const { page, requests, errors } = await openOffline(file, "report-html");
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith("file:"))).toEqual([]);
    // one load chart and one per series (5 expectations + 1 steady-state check), each with its points
    const charts = await page.locator(".uplot").count();
    expect(charts).toBe(7);
    const points = await page
      .locator(".uplot")
      .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.points)));
    expect(points.every((p) => p === 60)).toBe(true);
    await expect(page.locator("[data-verdict]").first().getAttribute("data-verdict")).resolves.toBe("failed");
    const compare = (await page.locator("table.compare").textContent()) ?? "";
    expect(compare).toContain("p95 during slow-payments");
    expect(compare).toMatch(/▲ \+50% worse/);
    await page.close();
  });

  it("a truncated journal and corrupt samples: shows what can be read and says what could not", async () => {
    const dir = syntheticRun(state, { runId: "r-bad", experiment: "broken-files", startedAt: T0 + 1000 });
    const journal = readFileSync(join(dir, "journal.jsonl"), "utf8");
    writeFileSync(join(dir, "journal.jsonl"), `${journal.slice(0, journal.length - 30)}`); // torn last line
    const samples = readFileSync(join(dir, "samples.jsonl"), "utf8").split("\n");
    samples.splice(
      40,
      3,
      "{not json",
      '{"k":"s","id":"expect:0","t":"yesterday","v":1}',
      "\u0000\u0001garbage",
    );
    writeFileSync(join(dir, "samples.jsonl"), samples.join("\n"));
    const file = await writeReport(dir);
    const { page, errors } = await openOffline(file, "report-html-bad-input");
    expect(errors).toEqual([]);
    const problems = (await page.locator(".problems").textContent()) ?? "";
    expect(problems).toContain("journal.jsonl: 1 line could not be read");
    expect(problems).toContain("samples.jsonl: 3 lines could not be read (first at line 41)");
    expect(await page.locator(".uplot").count()).toBeGreaterThan(0);
    await page.close();
  });
});
