import type { RunView } from "../run-view.js";
import { esc, jsonForScript } from "./escape-html.js";
import { reportAssets } from "./page-assets.js";
import { PAGE_CSS } from "./page-style.js";
import { renderRunSection } from "./run-section.js";

// Plain symbols, not emoji: a machine without an emoji font (a CI runner) must still show them.
const VERDICT_ICON: Record<string, string> = {
  passed: "✓",
  failed: "✗",
  aborted: "■",
  "not-run": "–",
  error: "✗",
};

/** A whole self-contained page: styles, data and the chart script inline; no request when opened. */
export async function renderReportDocument(title: string, views: RunView[]): Promise<string> {
  const { js, css } = await reportAssets();
  const passed = views.filter((v) => v.verdict === "passed").length;
  const toc =
    views.length > 1
      ? `<nav class="toc"><strong>${passed} of ${views.length} experiments passed.</strong><ol>${views
          .map(
            (v) =>
              `<li><span class="st st-${esc(v.verdict ?? "")}">${VERDICT_ICON[v.verdict ?? ""] ?? "•"}</span> <a href="#run-${esc(v.runId)}">${esc(v.experiment)}</a> — ${esc(v.verdict ?? v.status)}${v.reason ? `: ${esc(v.reason)}` : ""}</li>`,
          )
          .join("")}</ol></nav>`
      : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${css}${PAGE_CSS}</style></head>
<body data-page="report"><main>
<h1>${esc(title)}</h1>
${toc}
${views.map((v) => renderRunSection(v)).join("\n")}
</main>
<script type="application/json" id="gameday-data">${jsonForScript(views)}</script>
<script>${js}</script>
</body></html>
`;
}
