import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { RunStore, RunSummary } from "../interfaces/run-store.js";
import { redact } from "../redact/redact.js";
import { esc } from "../report/html/escape-html.js";
import { pageAssets } from "../report/html/page-assets.js";
import { renderRunSection } from "../report/html/run-section.js";
import { loadRunView } from "../report/load-run-view.js";
import { buildRunView, type RunView } from "../report/run-view.js";
import { abortRun, type QueueAbort } from "./abort-run.js";
import { runEventStream } from "./live-stream.js";
import { consolePage, type Tab } from "./pages/console-layout.js";
import { historyBody } from "./pages/history-page.js";
import { trendOf, trendsBody, trendsIndex } from "./pages/trends-page.js";
import type { QueueFeed } from "./queue-feed.js";

const LIVE_CACHE_MS = 1000;

export interface ConsoleDeps {
  store: RunStore;
  token?: string | undefined;
  queue?: QueueFeed | undefined;
  queueAbort?: QueueAbort | undefined;
  schedules?:
    | (() => Promise<
        {
          name: string;
          cron?: string | undefined;
          tz?: string | undefined;
          next?: number | undefined;
          file?: string | undefined;
        }[]
      >)
    | undefined;
}

const consoleAssets = () => pageAssets("console-page", new URL("./web/", import.meta.url));

function abortButton(v: RunView): string {
  if (v.status !== "running") return "";
  const url = `/api/runs/${encodeURIComponent(v.runId)}/abort`;
  return `<div><button class="abort" data-abort="${esc(url)}" data-name="${esc(v.experiment)}">Abort and roll back</button><div class="abort-result" data-abort-result="${esc(url)}" role="status"></div></div>`;
}

function liveSection(v: RunView): string {
  return renderRunSection(v, {
    live: v.status === "running" ? `/api/runs/${encodeURIComponent(v.runId)}/events` : undefined,
    big: true,
    actions: abortButton(v),
  });
}

/** The console's routes: pages render the same run sections as report.html. */
export function consoleApp(deps: ConsoleDeps): Hono {
  const app = new Hono();
  const page = async (
    tab: Tab,
    title: string,
    body: string,
    data: unknown = [],
    bodyClass = "",
    extra = "",
  ) => {
    const { js, css } = await consoleAssets();
    return redact(consolePage({ tab, title, body: body + extra, js, css, data, bodyClass }));
  };

  // With a token, every request must carry it: ?token= once (then a cookie), or a Bearer header.
  if (deps.token) {
    const token = deps.token;
    app.use("*", async (c, next) => {
      const q = c.req.query("token");
      const bearer = c.req.header("authorization")?.replace(/^Bearer\s+/i, "");
      if (q === token)
        setCookie(c, "gameday_token", token, { httpOnly: true, sameSite: "Strict", path: "/" });
      if (q !== token && bearer !== token && getCookie(c, "gameday_token") !== token)
        return c.text(
          "gameday console: a valid token is required (?token=… or Authorization: Bearer …)\n",
          401,
        );
      await next();
    });
  }

  // Two pages poll this every second or so, and a list reads every run folder: one read per second
  // serves them all.
  let liveCache: { at: number; runs: Promise<RunSummary[]> } | undefined;
  const live = (): Promise<RunSummary[]> => {
    if (!liveCache || Date.now() - liveCache.at > LIVE_CACHE_MS)
      liveCache = {
        at: Date.now(),
        runs: deps.store.list().then((all) => all.filter((r) => r.status === "running")),
      };
    return liveCache.runs;
  };

  app.get("/", async (c) => {
    const running = await live();
    const views = running.flatMap((r) => (r.dir ? [buildRunView(r.dir, r)] : []));
    const remote = deps.queue?.remoteRuns(new Set(views.map((v) => v.runId))) ?? [];
    const body =
      views.length || remote.length
        ? views.map(liveSection).join("") +
          `<div id="remote-runs">${remote.map((r) => deps.queue?.renderCard(r) ?? "").join("")}</div>`
        : `<div class="empty">No run is running. Start one with <code>gameday run</code> or <code>gameday enqueue</code>; it appears here by itself.</div>`;
    const html = await page("live", "Live", `<h1>Live</h1>${body}`, views, "live");
    return c.html(
      html.replace(
        '<body data-page="live"',
        `<body data-page="live" data-live-ids="${esc(running.map((r) => r.runId).join(","))}"`,
      ),
    );
  });

  app.get("/api/live", async (c) => c.json(await live()));
  // Queue runs on other machines: their cards, refreshed by the live page every second.
  app.get("/api/remote-cards", async (c) => {
    const local = new Set((await live()).map((r) => r.runId));
    return c.html((deps.queue?.remoteRuns(local) ?? []).map((r) => deps.queue?.renderCard(r) ?? "").join(""));
  });
  app.get("/api/runs", async (c) => c.json(await deps.store.list()));

  app.get("/runs", async (c) => {
    const q = c.req.query();
    const all = await deps.store.list();
    return c.html(await page("history", "History", historyBody(all, q)));
  });

  app.get("/runs/:id", async (c) => {
    const run = await deps.store.get(c.req.param("id"));
    if (!run)
      return c.html(
        await page(
          "run",
          "No such run",
          `<div class="empty">No run ${esc(c.req.param("id"))} in the history.</div>`,
        ),
        404,
      );
    if (!run.dir)
      return c.html(
        await page(
          "run",
          run.experiment,
          `<div class="run"><h2>${esc(run.experiment)}</h2><p>${esc(run.verdict ?? run.status)}: ${esc(run.reason ?? "")}</p><p class="muted">The run's folder is on the worker's machine, not here: only its record is shown.</p></div>`,
        ),
      );
    const view = await loadRunView(run.dir, deps.store);
    return c.html(
      await page("run", view.experiment, liveSection(view), [view], view.status === "running" ? "live" : ""),
    );
  });

  app.get("/api/runs/:id/events", async (c) => {
    const run = await deps.store.get(c.req.param("id"));
    if (!run?.dir) return c.text("no such run here", 404);
    return new Response(runEventStream(run.dir, deps.store), {
      headers: { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" },
    });
  });

  app.post("/api/runs/:id/abort", async (c) => {
    const answer = await abortRun(deps.store, c.req.param("id"), "console", deps.queueAbort, (id) =>
      deps.queue?.summary(id),
    );
    return c.json({ message: answer.message }, answer.status);
  });

  app.get("/trends", async (c) => {
    const { experiment, gameDay } = c.req.query();
    const all = (await deps.store.list()).filter((r) => r.status === "finished" && r.dir);
    if (!experiment && !gameDay) return c.html(await page("trends", "Trends", trendsIndex(all)));
    const chosen = all.filter((r) => (experiment ? r.experiment === experiment : r.gameDay === gameDay));
    const byExperiment = new Map<string, RunView[]>();
    for (const r of chosen) {
      const list = byExperiment.get(r.experiment) ?? [];
      list.push(buildRunView(r.dir as string, r));
      byExperiment.set(r.experiment, list);
    }
    const trends = [...byExperiment].map(([name, views]) => trendOf(name, name, views));
    const title = experiment ? `Trend: ${experiment}` : `Trend: game day ${gameDay}`;
    const data = `<script type="application/json" id="gameday-trends">${JSON.stringify(trends).replace(/</g, "\\u003c")}</script>`;
    return c.html(await page("trends", title, trendsBody(title, trends), [], "", data));
  });

  app.get("/schedules", async (c) => {
    if (!deps.schedules)
      return c.html(
        await page(
          "schedules",
          "Schedules",
          `<h1>Schedules</h1><div class="empty">Redis is not configured (<code>--redis</code> or <code>REDIS_URL</code>): no queue, no schedules.</div>`,
        ),
      );
    let body: string;
    try {
      const list = await deps.schedules();
      body = list.length
        ? `<table class="grid"><thead><tr><th>name</th><th>cron</th><th>time zone</th><th>next run</th><th>file</th></tr></thead><tbody>${list.map((s) => `<tr><td>${esc(s.name)}</td><td><code>${esc(s.cron ?? "")}</code></td><td>${esc(s.tz ?? "UTC")}</td><td>${s.next ? new Date(s.next).toISOString().replace("T", " ").slice(0, 16) : "-"}</td><td>${esc(s.file ?? "")}</td></tr>`).join("")}</tbody></table>`
        : `<div class="empty">No schedule. Add one with <code>gameday schedule add</code>.</div>`;
    } catch (err) {
      body = `<div class="problems">The queue could not be read: ${esc((err as Error).message)}</div>`;
    }
    return c.html(await page("schedules", "Schedules", `<h1>Schedules</h1>${body}`));
  });

  return app;
}
