import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { redactDeep } from "../redact/redact.js";
import { type JournalEvent, type JournalEventType, journalEventSchema } from "./journal-schema.js";

export type JournalListener = (event: JournalEvent) => void;

/**
 * Append-only, fsynced JSON lines: the record that survives a crash. Synchronous on purpose so
 * "written before injected" holds even if the process dies on the next line.
 */
export class Journal {
  readonly path: string;
  private readonly fd: number;
  private readonly listeners: JournalListener[] = [];

  constructor(
    readonly dir: string,
    readonly runId: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, "journal.jsonl");
    this.fd = openSync(this.path, "a");
  }

  onEvent(listener: JournalListener): void {
    this.listeners.push(listener);
  }

  write(type: JournalEventType, data: Record<string, unknown> = {}): JournalEvent {
    // Redacted before it is written: the journal outlives the run and is copied into reports.
    const event: JournalEvent = { t: Date.now(), runId: this.runId, type, data: redactDeep(data) };
    writeSync(this.fd, `${JSON.stringify(event)}\n`);
    fsyncSync(this.fd);
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A broken reporter must never stop a rollback.
      }
    }
    return event;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Reads a journal back, skipping a torn last line from a crash. */
  static read(path: string): JournalEvent[] {
    return parseJournal(readFileSync(path, "utf8")).events;
  }
}

/** The events of a journal's text, and the lines that could not be read (a torn write of a crashed run). */
export function parseJournal(text: string): { events: JournalEvent[]; bad: number; firstBad: number } {
  const out = { events: [] as JournalEvent[], bad: 0, firstBad: 0 };
  for (const [i, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    try {
      out.events.push(journalEventSchema.parse(JSON.parse(line)));
    } catch {
      if (!out.bad) out.firstBad = i + 1;
      out.bad++;
    }
  }
  return out;
}
