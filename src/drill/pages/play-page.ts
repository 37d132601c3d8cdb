import { pageAssets } from "../../report/html/page-assets.js";
import { PAGE_CSS } from "../../report/html/page-style.js";

const assets = () => pageAssets("drill-view-page", new URL("../web/", import.meta.url));

/** An on-call console: dense, dark header, everything on one screen at 1366x768. */
const PLAY_CSS = `
.top{background:#24292f;color:#fff}.top .bar{max-width:1500px;margin:0 auto;padding:8px 20px;display:flex;gap:14px;align-items:center;flex-wrap:wrap}
[hidden]{display:none!important}
.top .brand{font-weight:800}.top .who{margin-left:auto}
main{max-width:1500px}
.status{font-weight:700;border-radius:6px;padding:2px 10px;background:#57606a}
.status.running{background:#cf222e}.status.ended{background:#1a7f37}.status.starting{background:#9a6700}
.clock{font:600 18px ui-monospace,monospace}
button{font-size:15px;padding:5px 14px;border-radius:6px;border:1px solid #1f6feb;background:#1f6feb;color:#fff;cursor:pointer}
button:disabled{background:#8c959f;border-color:#8c959f;cursor:default}
button.secondary{background:#fff;color:#1f6feb}
.layout{display:grid;grid-template-columns:minmax(0,3fr) minmax(340px,2fr);gap:14px;margin-top:12px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:10px;padding:10px 14px;margin:0 0 14px}
.card h2{font-size:17px;margin:0 0 8px}
.briefing{font-size:16px}
.slo{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0;margin:0}
.slo li{border-radius:8px;padding:4px 10px;font-weight:600;border:2px solid #8c959f}
.slo li.ok{border-color:#1a7f37;color:#1a7f37}.slo li.broken{border-color:#cf222e;color:#cf222e}
ul.alerts{list-style:none;margin:0;padding:0}ul.alerts li{padding:4px 8px;margin:0 0 4px;border-left:4px solid #cf222e;background:#ffebe9}
.none{color:#57606a;font-style:italic}
.panels{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:6px;margin-top:6px}
.panel{border:1px solid #eaeef2;border-radius:8px;padding:3px 4px;margin:0}
.panel figcaption{font-size:12.5px;font-weight:600;margin:0 0 0 4px}
.panel .u-axis{font-size:11px}
details>summary{cursor:pointer;font-size:17px;font-weight:700}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.top nav{display:flex;gap:12px;font-size:14px}.top nav a{color:#c9d1d9;text-decoration:none}.top nav a:hover{color:#fff}
.top #drill-id{color:#c9d1d9;font-size:13px}
.panel .u-legend{display:none}
form.row{display:flex;flex-wrap:wrap;gap:6px 8px;align-items:end}
form.row label,.stack label{display:flex;flex-direction:column;font-size:12px;font-weight:600;gap:2px}
input,select,textarea{font:14px system-ui,sans-serif;padding:4px 6px;border:1px solid #8c959f;border-radius:6px}
textarea{width:100%;min-height:48px}
.stack{display:flex;flex-direction:column;gap:6px}
.logs{max-height:420px;overflow:auto;margin-top:8px;font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace}
.logs table{border-collapse:collapse;width:100%}.logs td{padding:2px 6px;border-bottom:1px solid #eaeef2;vertical-align:top}
.lv-error td.lv,.lv-fatal td.lv{color:#cf222e;font-weight:700}.lv-warn td.lv{color:#9a6700;font-weight:700}
.logs .fields{color:#57606a}
.logs a.trace{color:#0969da;cursor:pointer}
#trace h2{display:inline-block;margin-right:10px;font:600 15px ui-monospace,monospace}
.waterfall{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace;max-height:460px;overflow:auto;margin-top:6px}
.span-row{display:grid;grid-template-columns:minmax(290px,1.3fr) minmax(160px,3fr) 210px;gap:8px;align-items:center;padding:1px 0;border-bottom:1px solid #eaeef2}
.span-name,.span-info{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.span-track{position:relative;height:12px;background:#f6f8fa}
.span-axis{color:#57606a}.span-axis .span-track{background:none;display:flex;justify-content:space-between;height:auto}
.span-bar{position:absolute;top:1px;bottom:1px;min-width:2px;border-radius:2px;background:#0969da}
.o-error .span-bar{background:#cf222e}.o-warn .span-bar{background:#bf8700}.o-ok.k-pool-wait .span-bar{background:#8250df}.k-query .span-bar{background:#54aeff}
.k-event .span-bar{width:8px!important;min-width:8px;height:8px;top:2px;transform:translateX(-4px) rotate(45deg);border-radius:1px}
.o-error .span-info{color:#cf222e;font-weight:700}.o-warn .span-info{color:#9a6700}
.answer-msg{font-weight:600;margin:4px 0}.answer-msg.bad{color:#cf222e}.answer-msg.good{color:#1a7f37}
ol.mine{margin:0;padding-left:18px;font-size:14px}
table.board{border-collapse:collapse;width:100%;font-size:14px}.board td,.board th{padding:3px 6px;border-bottom:1px solid #eaeef2;text-align:left}
.correct{color:#1a7f37;font-weight:700}.wrong{color:#cf222e;font-weight:700}
.results{border:2px solid #1a7f37}
.hint{background:#ddf4ff;border-left:4px solid #0969da;padding:4px 8px;margin:4px 0}
@media (max-width:1000px){.layout,.pair{grid-template-columns:1fr}}
`;

/**
 * The responder's drill view: a static shell (no data, no token) and its script, which reads the
 * token from the #fragment and draws everything from the API. The same bytes for every drill.
 */
export async function playPage(): Promise<string> {
  const { css } = await assets();
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">
<title>on call · gameday drill</title><style>${css}${PAGE_CSS}${PLAY_CSS}</style></head>
<body><header class="top"><div class="bar"><span class="brand">gameday · on call</span><span class="status" id="status">connecting</span><span class="clock" id="clock">0:00</span><span id="drill-id"></span><button id="ack" type="button" disabled>Acknowledge page</button><nav><a href="#dashboards">Dashboards</a><a href="#logs">Logs</a><a href="#mitigate">Mitigate</a><a href="#answer">Root cause</a><a href="#leaderboard">Leaderboard</a></nav><span class="who" id="who"></span></div></header>
<main><div id="problem" class="card" hidden></div><div id="app"></div></main>
<script src="/play.js"></script></body></html>`;
}

export async function playScript(): Promise<string> {
  return (await assets()).js;
}
