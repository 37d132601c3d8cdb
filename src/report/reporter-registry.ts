import type { NotifierOptions } from "../interfaces/notifier.js";
import type { Reporter, ReporterOptions } from "../interfaces/reporter.js";
import type { TraceSink, TraceSinkOptions } from "../interfaces/trace-sink.js";
import type { NotifyFormat } from "../targets/notify-schema.js";
import { ConsoleReporter } from "./console-reporter.js";
import { HtmlReporter } from "./html/html-reporter.js";
import { JsonReporter } from "./json-reporter.js";
import { JunitReporter } from "./junit-reporter.js";
import { MarkdownReporter } from "./markdown-reporter.js";
import { GrafanaAnnotationReporter } from "./notify/grafana-annotation-reporter.js";
import type { NotifierReporter } from "./notify/notifier-reporter.js";
import { SlackReporter } from "./notify/slack-reporter.js";
import { WebhookReporter } from "./notify/webhook-reporter.js";

/** Reporters by name, as `--reporter` and `--junit/--report/--json` select them. */
export const REPORTERS: Record<string, new (opts?: ReporterOptions) => Reporter> = {
  console: ConsoleReporter,
  junit: JunitReporter,
  markdown: MarkdownReporter,
  json: JsonReporter,
  html: HtmlReporter,
};

/** Notifiers by the `format` of a target's `notify` entry: one instance per run. */
export const NOTIFIERS: Record<NotifyFormat, new (opts: NotifierOptions) => NotifierReporter> = {
  webhook: WebhookReporter,
  slack: SlackReporter,
  grafana: GrafanaAnnotationReporter,
};

/** Trace sinks by the targets file's telemetry protocol, each loaded only when configured (the SDK is large). */
export const TRACE_SINKS: Record<
  TraceSinkOptions["protocol"],
  (opts: TraceSinkOptions) => Promise<TraceSink>
> = {
  otlp: async (opts) => new (await import("./trace/otlp-trace-sink.js")).OtlpTraceSink(opts),
};

/** Fans one event out to every reporter; a reporter that throws is reported, never fatal. */
export class ReporterSet implements Required<Reporter> {
  constructor(private readonly reporters: Reporter[]) {}

  onEvent: Required<Reporter>["onEvent"] = (e) => this.each((r) => r.onEvent?.(e));
  onProgress: Required<Reporter>["onProgress"] = (s) => this.each((r) => r.onProgress?.(s));

  async onRunEnd(result: Parameters<Required<Reporter>["onRunEnd"]>[0]): Promise<void> {
    for (const r of this.reporters) await this.guard(() => r.onRunEnd?.(result));
  }

  async onSuiteEnd(results: Parameters<Required<Reporter>["onSuiteEnd"]>[0]): Promise<void> {
    for (const r of this.reporters) await this.guard(() => r.onSuiteEnd?.(results));
  }

  private each(fn: (r: Reporter) => void): void {
    for (const r of this.reporters) {
      try {
        fn(r);
      } catch (err) {
        process.stderr.write(`reporter failed: ${(err as Error).message}\n`);
      }
    }
  }

  private async guard(fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (err) {
      process.stderr.write(`reporter failed: ${(err as Error).message}\n`);
    }
  }
}
