import type { OutboundRequest } from "./delivery.js";
import { NotifierReporter } from "./notifier-reporter.js";
import type { NotifyEvent } from "./notify-event.js";

const VERDICT_MARK: Record<string, string> = {
  passed: ":white_check_mark: PASSED",
  failed: ":x: FAILED",
  aborted: ":octagonal_sign: ABORTED",
  "not-run": ":warning: NOT RUN",
  error: ":rotating_light: ERROR",
};

/** Slack's mrkdwn treats these three as markup; anything from a run is escaped. */
const esc = (v: unknown) =>
  String(v ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");

/** One line per event: what happened, to which experiment. */
export function slackText(e: NotifyEvent): string {
  const d = e.data;
  const exp = `*${esc(e.experiment)}*`;
  switch (e.event) {
    case "run.started":
      return `:arrow_forward: ${exp} started on ${esc(e.target)}`;
    case "fault.injected":
      return `:zap: ${exp}: fault \`${esc(d.fault)}\` injected (${esc(d.description)})`;
    case "fault.reverted":
      return `:leftwards_arrow_with_hook: ${exp}: fault \`${esc(d.fault)}\` reverted and verified${typeof d.durationMs === "number" ? ` after ${(d.durationMs / 1000).toFixed(1)} s` : ""}`;
    case "expectation.failed":
      return `:x: ${exp}: expectation "${esc(d.expectation)}" did not hold${d.summary ? `: ${esc(d.summary)}` : ""}`;
    case "aborted":
      return `:octagonal_sign: ${exp} aborted (${esc(d.by)}): ${esc(d.reason)}`;
    case "verdict": {
      const left =
        Array.isArray(d.unreverted) && d.unreverted.length
          ? " — faults MAY REMAIN: run `gameday recover`"
          : "";
      return `${VERDICT_MARK[String(d.verdict)] ?? esc(d.verdict)} ${exp} (exit ${esc(d.exitCode)}): ${esc(d.reason)}${left}`;
    }
  }
}

/** Slack incoming-webhook messages: `text` (notifications, fallbacks) and the same line as blocks. */
export class SlackReporter extends NotifierReporter {
  protected requests(event: NotifyEvent): OutboundRequest[] {
    if (!this.wants(event)) return [];
    const text = slackText(event);
    const context = [`run ${event.runId}`, `target ${event.target}`];
    if (event.gameDay) context.push(`game day ${event.gameDay}`);
    const body = JSON.stringify({
      text,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text } },
        { type: "context", elements: [{ type: "mrkdwn", text: esc(context.join(" · ")) }] },
      ],
    });
    return [{ url: this.opts.url, headers: { "content-type": "application/json" }, body }];
  }
}
