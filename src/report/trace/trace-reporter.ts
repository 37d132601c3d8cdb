import type { Reporter } from "../../interfaces/reporter.js";
import type { OpenSpan, TraceSink } from "../../interfaces/trace-sink.js";
import { redact } from "../../redact/redact.js";
import type { JournalEvent } from "../../run/journal-schema.js";
import type { RunResult } from "../../run/run-result.js";
import { runSpanTree } from "./run-span-tree.js";

/** A run's events kept at most: a trace is a summary; the journal keeps everything. */
const MAX_EVENTS = 20_000;

/**
 * One run's trace: it keeps the run's journal events (onEvent only appends, the run never waits)
 * and at the run's end builds the span tree from them and the result, queues it on the sink and
 * waits for the sink's bounded flush. Never throws into the run.
 */
export class TraceReporter implements Reporter {
  private readonly events: JournalEvent[] = [];

  constructor(
    private readonly sink: TraceSink,
    private readonly log: (line: string) => void,
    private readonly parent?: OpenSpan | undefined,
    private readonly onEnd?: ((result: RunResult) => void) | undefined,
  ) {}

  onEvent = (e: JournalEvent): void => {
    if (this.events.length < MAX_EVENTS) this.events.push(e);
  };

  async onRunEnd(result: RunResult): Promise<void> {
    this.onEnd?.(result);
    try {
      this.sink.record(runSpanTree(this.events, result), this.parent);
      await this.sink.flush();
    } catch (err) {
      // A tree that cannot be built is a bug here, never the run's problem.
      this.log(redact(`telemetry: could not build the run's trace: ${(err as Error).message}`));
    }
  }
}

/** A run's listener and its trace reporter as one: the trace hears every event even when the first throws. */
export function withTrace(
  first: ((e: JournalEvent) => void) | undefined,
  trace: TraceReporter | undefined,
): ((e: JournalEvent) => void) | undefined {
  if (!trace) return first;
  if (!first) return trace.onEvent;
  return (e) => {
    try {
      first(e);
    } finally {
      trace.onEvent(e);
    }
  };
}
