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
    const events: JournalEvent[] = [];
    for (const line of readFileSync(path, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        events.push(journalEventSchema.parse(JSON.parse(line)));
      } catch {
        // torn write at the end of a crashed run
      }
    }
    return events;
  }
}
