/// <reference lib="dom" />
import type { RunView } from "../../run-view.js";
import { drawRun, type LiveChart } from "./charts.js";

/** A live message: the whole view and the server-rendered parts that changed. */
interface LiveMessage {
  view: RunView;
  parts: Record<string, string>;
}

function readViews(): RunView[] {
  const el = document.getElementById("gameday-data");
  if (!el?.textContent) return [];
  try {
    return JSON.parse(el.textContent) as RunView[];
  } catch {
    return [];
  }
}

/** Follows a live run: its parts are replaced as they change, and its charts gain the new points. */
function live(section: HTMLElement, url: string, chart: { current?: LiveChart }) {
  const source = new EventSource(url);
  const last: Record<string, string> = {};
  source.onmessage = (ev) => {
    const msg = JSON.parse(ev.data) as LiveMessage;
    let redraw = false;
    for (const [name, html] of Object.entries(msg.parts)) {
      const part = section.querySelector<HTMLElement>(`[data-part="${name}"]`);
      if (!part || last[name] === html) continue;
      const first = last[name] === undefined;
      last[name] = html;
      // The first message matches the page already drawn; the charts' frame changes only when a
      // status or the set of charts does, and then the charts are drawn again.
      if (first && name === "charts") continue;
      part.innerHTML = html;
      if (name === "charts") redraw = true;
    }
    if (redraw) {
      chart.current = drawRun(section, msg.view, section.dataset.big === "1");
    } else chart.current?.update(msg.view);
    document.body.dataset.lastUpdate = String(Date.now());
    if (msg.view.status !== "running") source.close();
  };
}

function main(): void {
  const views = readViews();
  for (const section of document.querySelectorAll<HTMLElement>("section[data-run]")) {
    const view = views.find((v) => v.runId === section.dataset.run);
    if (!view) continue;
    const state: { current?: LiveChart } = { current: drawRun(section, view, section.dataset.big === "1") };
    if (section.dataset.live) live(section, section.dataset.live, state);
  }
  document.body.dataset.chartsReady = "1";
}

main();
