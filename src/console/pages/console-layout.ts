import { esc } from "../../report/html/escape-html.js";
import { PAGE_CSS } from "../../report/html/page-style.js";

/** Large type for the live view: it is read from the back of a room on a projector. */
const CONSOLE_CSS = `
.top{background:#24292f;color:#fff}.top nav{max-width:1320px;margin:0 auto;padding:10px 20px;display:flex;gap:22px;align-items:center;font-size:18px}
.top a{color:#fff;text-decoration:none}.top a.on{border-bottom:3px solid #58a6ff}.top .brand{font-weight:800;margin-right:10px}
body.live .run h2{font-size:34px}body.live .badge{font-size:28px}body.live .reason{font-size:22px}
body.live .facts{font-size:19px}body.live figcaption{font-size:19px}body.live .grid{font-size:18px}
.abort{font-size:20px;font-weight:700;background:#cf222e;color:#fff;border:0;border-radius:8px;padding:10px 18px;cursor:pointer}
.abort:disabled{background:#8c959f;cursor:default}
.abort-result{font-size:17px;font-weight:600;margin:6px 0}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:end;background:#fff;border:1px solid #d0d7de;border-radius:10px;padding:12px 16px}
.filters label{display:flex;flex-direction:column;font-size:14px;font-weight:600;gap:3px}
.filters input,.filters select{font-size:16px;padding:5px 8px;border:1px solid #8c959f;border-radius:6px}
.filters button{font-size:16px;padding:6px 16px;border-radius:6px;border:1px solid #1f6feb;background:#1f6feb;color:#fff}
.empty{font-size:22px;color:#57606a;background:#fff;border:1px dashed #8c959f;border-radius:10px;padding:30px;text-align:center}
td.v-passed{color:#1a7f37;font-weight:700}td.v-failed,td.v-error{color:#cf222e;font-weight:700}td.v-aborted,td.v-not-run,td.v-interrupted{color:#9a6700;font-weight:700}td.v-running{color:#0969da;font-weight:700}
`;

export type Tab = "live" | "history" | "trends" | "schedules" | "run";

export function consolePage(opts: {
  title: string;
  tab: Tab;
  body: string;
  js: string;
  css: string;
  data?: unknown;
  bodyClass?: string;
}): string {
  const link = (tab: Tab, href: string, label: string) =>
    `<a href="${href}"${opts.tab === tab ? ' class="on"' : ""}>${label}</a>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">
<title>${esc(opts.title)} · gameday console</title><style>${opts.css}${PAGE_CSS}${CONSOLE_CSS}</style></head>
<body data-page="${opts.tab}" class="${esc(opts.bodyClass ?? "")}"><header class="top"><nav><span class="brand">gameday</span>${link("live", "/", "Live")}${link("history", "/runs", "History")}${link("trends", "/trends", "Trends")}${link("schedules", "/schedules", "Schedules")}</nav></header>
<main>${opts.body}</main>
<script type="application/json" id="gameday-data">${JSON.stringify(opts.data ?? []).replace(/</g, "\\u003c")}</script>
<script>${opts.js}</script></body></html>`;
}
