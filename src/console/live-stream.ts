import { statSync } from "node:fs";
import { join } from "node:path";
import { runParts } from "../report/html/run-section.js";
import { loadRunView } from "../report/load-run-view.js";
import type { RunView } from "../report/run-view.js";

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
 * whenever the journal or samples change (polled; cheap stats), until the run has ended.
 */
export function runEventStream(dir: string): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let timer: NodeJS.Timeout | undefined;
  let last = "";
  return new ReadableStream({
    start(controller) {
      const push = async () => {
        const now = stamp(dir);
        if (now === last) return;
        last = now;
        const view: RunView = await loadRunView(dir);
        controller.enqueue(enc.encode(`data: ${JSON.stringify({ view, parts: runParts(view) })}\n\n`));
        if (view.status !== "running") {
          clearInterval(timer);
          controller.close();
        }
      };
      void push();
      timer = setInterval(() => void push().catch(() => {}), POLL_MS);
      // keep-alive comments so proxies do not close an idle stream
    },
    cancel() {
      clearInterval(timer);
    },
  });
}
