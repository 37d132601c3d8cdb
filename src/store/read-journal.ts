import { existsSync, readFileSync } from "node:fs";
import { type JournalEvent, journalEventSchema } from "../run/journal-schema.js";

export interface JournalRead {
  events: JournalEvent[];
  problems: string[];
}

/** Like Journal.read, but says what it could not read: a torn last line or a corrupt one. */
export function readJournal(path: string): JournalRead {
  const out: JournalRead = { events: [], problems: [] };
  if (!existsSync(path)) {
    out.problems.push("journal.jsonl is missing");
    return out;
  }
  const lines = readFileSync(path, "utf8").split("\n");
  let bad = 0;
  let first = 0;
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    try {
      out.events.push(journalEventSchema.parse(JSON.parse(line)));
    } catch {
      if (!bad) first = i + 1;
      bad++;
    }
  }
  if (bad)
    out.problems.push(
      `journal.jsonl: ${bad} line${bad > 1 ? "s" : ""} could not be read (first at line ${first}); showing the rest`,
    );
  return out;
}
