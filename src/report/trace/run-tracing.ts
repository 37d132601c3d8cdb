import type { SuiteMembership } from "../../experiment/expand-game-days.js";
import type { OpenSpan, ResolvedTelemetry, TraceSink } from "../../interfaces/trace-sink.js";
import type { RunResult } from "../../run/run-result.js";
import { combinedExitCode } from "../../run/verdict.js";
import { TRACE_SINKS } from "../reporter-registry.js";
import { TraceReporter } from "./trace-reporter.js";

/** The game day whose span is open, with the results of its runs so far. */
interface OpenSuite {
  file: string;
  span: OpenSpan;
  results: RunResult[];
}

/**
 * The traces of one invocation: a trace per run, and a game day's runs as children of one
 * `gameday.game_day <name>` span. The SDK is loaded only here, only when telemetry is configured.
 */
export class RunTracing {
  private suite: OpenSuite | undefined;

  private constructor(
    private readonly sink: TraceSink,
    private readonly log: (line: string) => void,
  ) {}

  /** undefined when the targets file configures no telemetry (nothing is loaded then). */
  static async open(
    telemetry: ResolvedTelemetry | undefined,
    log: (line: string) => void,
    bounds: { timeoutMs?: number; flushMs?: number } = {},
  ): Promise<RunTracing | undefined> {
    if (!telemetry) return undefined;
    const sink = await TRACE_SINKS[telemetry.protocol]({ ...telemetry, ...bounds, log });
    return new RunTracing(sink, log);
  }

  /** The reporter of the next run; it belongs to `suite`'s trace when it is a game day's. */
  forRun(suite: SuiteMembership | undefined, startedAt = Date.now()): TraceReporter {
    if (this.suite && this.suite.file !== suite?.file) this.endSuite();
    if (suite && !this.suite)
      this.suite = {
        file: suite.file,
        results: [],
        span: this.sink.open(`gameday.game_day ${suite.name}`, startedAt, {
          "gameday.game_day": suite.name,
          "gameday.game_day.file": suite.file,
        }),
      };
    const open = this.suite;
    return new TraceReporter(this.sink, this.log, open?.span, (r) => open?.results.push(r));
  }

  /** Ends an open game day's span and flushes, within the sink's bounds. */
  async close(): Promise<void> {
    this.endSuite();
    await this.sink.shutdown();
  }

  private endSuite(): void {
    const s = this.suite;
    if (!s) return;
    this.suite = undefined;
    const exitCode = combinedExitCode(s.results);
    const worst = s.results.find((r) => r.exitCode === exitCode);
    s.span.end(
      Math.max(Date.now(), ...s.results.map((r) => r.endedAt)),
      {
        "gameday.runs": s.results.length,
        "gameday.exit_code": exitCode,
        "gameday.verdict": worst?.verdict ?? "passed",
      },
      exitCode === 0 ? "ok" : "error",
    );
  }
}
