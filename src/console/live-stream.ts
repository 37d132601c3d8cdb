import { statSync } from "node:fs";
import { join } from "node:path";
import type { RunStore } from "../interfaces/run-store.js";
import { redact } from "../redact/redact.js";
import { runParts } from "../report/html/run-section.js";
import { previousRun } from "../report/load-run-view.js";
import { buildRunView, type RunView, withPrevious } from "../report/run-view.js";

const POLL_MS = 200;

function stamp(dir: string): string {
  return ["journal.jsonl", "samples.jsonl", "run.json"]
    .map((f) => {
      try {
        const s = statSync(join(dir, f));
        return `${s.size}:${s.mtimeMs}`;
      } catch {
        return "-";
      }
    })
    .join("|");
}

/**
 * Server-sent events for one run folder: a message with the whole view and its rendered parts
 * whenever the journal or samples change (polled; cheap stats), until the run has ended. The
 * previous run to compare with is looked up once, not on every change: the history does not move
 * under a live run, and reading it means reading every run folder.
 */
export function runEventStream(dir: string, store: RunStore): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let timer: NodeJS.Timeout | undefined;
  let last = "";
  let previous: Promise<RunView | undefined> | undefined;
  let busy = false;
  return new ReadableStream({
    start(controller) {
      const push = async () => {
        const now = stamp(dir);
        if (busy || now === last) return;
        busy = true;
        try {
          last = now;
          const current = buildRunView(dir);
          previous ??= previousRun(store, current).catch(() => undefined);
          const view: RunView = withPrevious(current, await previous);
          controller.enqueue(
            enc.encode(`data: ${redact(JSON.stringify({ view, parts: runParts(view) }))}\n\n`),
          );
          if (view.status !== "running") {
            clearInterval(timer);
            controller.close();
          }
        } finally {
          busy = false;
        }
      };
      void push().catch(() => {});
      timer = setInterval(() => void push().catch(() => {}), POLL_MS);
    },
    cancel() {
      clearInterval(timer);
    },
  });
}
