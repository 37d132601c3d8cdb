import { existsSync, readFileSync } from "node:fs";
import { parseJournal } from "../run/journal.js";
import type { JournalEvent } from "../run/journal-schema.js";

export interface JournalRead {
  events: JournalEvent[];
  problems: string[];
}

/** Like Journal.read, but says what it could not read: a missing file, a torn last line or a corrupt one. */
export function readJournal(path: string): JournalRead {
  if (!existsSync(path)) return { events: [], problems: ["journal.jsonl is missing"] };
  const { events, bad, firstBad } = parseJournal(readFileSync(path, "utf8"));
  const problems = bad
    ? [
        `journal.jsonl: ${bad} line${bad > 1 ? "s" : ""} could not be read (first at line ${firstBad}); showing the rest`,
      ]
    : [];
  return { events, problems };
}
