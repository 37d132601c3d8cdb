import { spawn } from "node:child_process";
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startConsole } from "../src/console/console-server.js";
import { HtmlReporter } from "../src/report/html/html-reporter.js";
import type { RunResult } from "../src/run/run-result.js";
import { launchBrowser } from "../test/console/support/browser.js";
import { syntheticRun } from "../test/console/support/synthetic-run.js";
import type { BenchContext } from "./support/context.js";
import type { Section } from "./support/report.js";
import { percentile } from "./support/stats.js";

const CLI = new URL("../src/cli/main.js", import.meta.url).pathname;

/** A run folder that looks live: run.started with this process's pid, a series, no verdict yet. */
function liveRun(stateDir: string, runId: string): string {
  const dir = join(stateDir, "runs", runId);
  mkdirSync(dir, { recursive: true });
  const t = Date.now();
  const ev = (type: string, data: Record<string, unknown>) => JSON.stringify({ t, runId, type, data });
  writeFileSync(
    join(dir, "journal.jsonl"),
    `${[ev("run.started", { experiment: "bench-live", pid: process.pid }), ev("phase", { phase: "method" })].join("\n")}\n`,
  );
  writeFileSync(
    join(dir, "samples.jsonl"),
    `${JSON.stringify({ k: "series", id: "expect:0", group: "expect", label: "p95 under 500 ms", op: "below", threshold: 500 })}\n`,
  );
  return dir;
}

const sample = (dir: string, v: number) =>
  appendFileSync(
    join(dir, "samples.jsonl"),
    `${JSON.stringify({ k: "s", id: "expect:0", t: Date.now(), v })}\n`,
  );

async function reportFigures(state: string, rounds: number) {
  const dir = syntheticRun(state, {
    runId: "bench-report",
    experiment: "bench",
    startedAt: Date.now() - 70_000,
    expectations: 5,
  });
  const result = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunResult;
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await new HtmlReporter().onSuiteEnd([result]);
    times.push(performance.now() - t0);
  }
  return {
    first: times[0] ?? Number.NaN,
    p50: percentile(times.slice(1), 50),
    bytes: statSync(join(dir, "report.html")).size,
  };
}

async function drawLatency(state: string, samples: number): Promise<number[]> {
  const dir = liveRun(state, "bench-live-draw");
  const server = await startConsole({ stateDir: state, host: "127.0.0.1", port: 0 });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    sample(dir, 100);
    await page.goto(`${server.url}/runs/bench-live-draw`);
    await page.waitForSelector("[data-chart=series] .uplot");
    const out: number[] = [];
    for (let i = 2; i <= samples + 1; i++) {
      const t0 = Date.now();
      sample(dir, 100 + i);
      await page.waitForFunction(
        (n) =>
          Number(
            (document.querySelector("[data-chart=series] .uplot") as HTMLElement | null)?.dataset.points,
          ) >= n,
        i,
        { timeout: 10_000, polling: 20 },
      );
      out.push(Date.now() - t0);
      await new Promise((r) => setTimeout(r, 150));
    }
    return out;
  } finally {
    await browser.close();
    await server.close();
  }
}

async function consoleRss(state: string): Promise<number> {
  for (let i = 0; i < 50; i++)
    syntheticRun(state, {
      runId: `bench-done-${String(i).padStart(2, "0")}`,
      experiment: `bench-${i % 5}`,
      startedAt: Date.now() - (i + 2) * 86_400_000,
    });
  const live = [liveRun(state, "bench-live-a"), liveRun(state, "bench-live-b")];
  const child = spawn(process.execPath, [CLI, "console", "--state-dir", state, "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, REDIS_URL: "" },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`console exited ${code}`)));
    setTimeout(() => reject(new Error("console did not start in 20 s")), 20_000).unref();
  });
  const browser = await launchBrowser();
  try {
    const pages = [await browser.context.newPage(), await browser.context.newPage()];
    await pages[0]?.goto(`${url}/`);
    await pages[1]?.goto(`${url}/runs`);
    for (let i = 0; i < 10; i++) {
      for (const d of live) sample(d, 100 + i);
      await new Promise((r) => setTimeout(r, 300));
    }
    await pages[1]?.goto(`${url}/trends?experiment=bench-1`);
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
  } finally {
    await browser.close();
    child.kill("SIGTERM");
  }
}

/** report.html size and write time, sample-to-drawn-point latency in the browser, console RSS. */
export async function benchConsoleHtml(ctx: BenchContext): Promise<Section> {
  const state = mkdtempSync(join(tmpdir(), "gameday-bench-html-"));
  try {
    ctx.log("html: report.html write time");
    const report = await reportFigures(join(state, "report"), ctx.quick ? 5 : 20);
    ctx.log("html: sample-to-drawn latency");
    const lat = await drawLatency(join(state, "draw"), ctx.quick ? 10 : 30);
    ctx.log("html: console RSS");
    const rss = await consoleRss(join(state, "rss"));
    return {
      id: "html",
      title: "report.html and the console",
      commands: ["HtmlReporter.onSuiteEnd (in-process)", "gameday console + chromium (playwright-core)"],
      metrics: [
        {
          name: "report.html size, 60 s run at 1 s, 5 expectations",
          value: report.bytes / 1024,
          unit: "",
          below: 500,
        },
        { name: "report.html write time, first in process (ms)", value: report.first, unit: "ms" },
        { name: "report.html write time p50, warm", value: report.p50, unit: "ms", below: 200 },
        { name: "sample to drawn point p50", value: percentile(lat, 50), unit: "ms" },
        { name: "sample to drawn point p95", value: percentile(lat, 95), unit: "ms", below: 1000 },
        { name: "console RSS, 50 finished + 2 live runs, 2 pages open", value: rss, unit: "MiB" },
      ],
      notes: [
        "size is in KiB",
        "the first write in a process includes loading the browser bundle (cached on disk after the first build)",
        `latency: ${lat.length} samples appended to a live run's samples.jsonl, measured until the chart's point count grows`,
      ],
    };
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}
