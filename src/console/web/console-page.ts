/// <reference lib="dom" />
import uPlot from "uplot";
import "../../report/html/web/report-page.js";
import type { TrendData } from "../pages/trends-page.js";

/** Abort buttons: confirm, POST, show the server's answer (it says what happened, or why not). */
/** Answers shown under abort buttons, kept across the remote cards' refreshes. */
const answers = new Map<string, { text: string; done: boolean }>();

function showAnswers(): void {
  for (const [url, a] of answers) {
    const out = document.querySelector<HTMLElement>(`[data-abort-result="${url}"]`);
    if (out) out.textContent = a.text;
    const button = document.querySelector<HTMLButtonElement>(`button[data-abort="${url}"]`);
    if (button) button.disabled = a.done;
  }
}

/** One delegated handler, so buttons in refreshed cards work too. */
function wireAbort(): void {
  document.addEventListener("click", async (ev) => {
    const button = (ev.target as HTMLElement | null)?.closest<HTMLButtonElement>("button[data-abort]");
    if (!button) return;
    const url = button.dataset.abort as string;
    const name = button.dataset.name ?? "this run";
    if (!window.confirm(`Abort ${name}? The method stops and every fault is rolled back.`)) return;
    button.disabled = true;
    try {
      const res = await fetch(url, { method: "POST" });
      const body = (await res.json()) as { message: string };
      answers.set(url, { text: body.message, done: res.ok });
    } catch (err) {
      answers.set(url, { text: `the console did not answer: ${(err as Error).message}`, done: false });
    }
    showAnswers();
  });
}

const COLORS = ["#0969da", "#cf222e", "#1a7f37", "#bf8700", "#8250df", "#57606a", "#e16f24", "#1b7c83"];

function drawTrends(): void {
  const el = document.getElementById("gameday-trends");
  if (!el?.textContent) return;
  const trends = JSON.parse(el.textContent) as TrendData[];
  for (const box of document.querySelectorAll<HTMLElement>("[data-trend-chart]")) {
    const d = trends.find((t) => t.id === box.dataset.trendChart);
    if (!d) continue;
    const figs = d.figures.filter((f) => f.unit === box.dataset.unit);
    const width = Math.max(320, box.clientWidth || 560);
    new uPlot(
      {
        width,
        height: 220,
        scales: { x: { time: true } },
        series: [
          {},
          ...figs.map((f, i) => ({
            label: f.label,
            stroke: COLORS[i % COLORS.length] as string,
            width: 2,
            points: { show: true, size: 7 },
          })),
        ],
        axes: [{}, { size: 60 }],
        legend: { live: false },
      },
      [d.t.map((t) => t / 1000), ...figs.map((f) => f.values)] as uPlot.AlignedData,
      box,
    );
  }
}

/**
 * The live overview reloads when a new run starts, so it appears without a click. A run that ends
 * stays on the page with its final verdict (its stream sends it) until the next reload.
 */
function watchLiveList(): void {
  if (document.body.dataset.page !== "live") return;
  const known = new Set((document.body.dataset.liveIds ?? "").split(",").filter(Boolean));
  setInterval(async () => {
    try {
      const ids = ((await (await fetch("/api/live")).json()) as { runId: string }[]).map((r) => r.runId);
      if (ids.some((id) => !known.has(id))) location.reload();
    } catch {
      // the console is restarting; try again
    }
  }, 1500);
}

/** Cards of queue runs on other machines (no stream of samples): refreshed every second. */
function refreshRemoteCards(): void {
  const box = document.getElementById("remote-runs");
  if (!box) return;
  setInterval(async () => {
    try {
      const html = await (await fetch("/api/remote-cards")).text();
      if (html && box.innerHTML !== html) {
        box.innerHTML = html;
        showAnswers();
      }
    } catch {
      // the console is restarting; try again
    }
  }, 1000);
}

wireAbort();
refreshRemoteCards();
drawTrends();
watchLiveList();
