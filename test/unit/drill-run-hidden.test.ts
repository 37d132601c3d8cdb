import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LocalRunStore } from "../../src/store/local-run-store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A state folder with one run whose journal says what `events` say. */
function stateWith(runId: string, started: Record<string, unknown>, finished = false): string {
  const state = mkdtempSync(join(tmpdir(), "gd-drill-hidden-"));
  dirs.push(state);
  const dir = join(state, "runs", runId);
  mkdirSync(dir, { recursive: true });
  const line = (type: string, data: Record<string, unknown>) =>
    JSON.stringify({ t: Date.now(), runId, type, data });
  const lines = [line("run.started", { experiment: "drill-risk-cache-chain", ...started })];
  if (finished) lines.push(line("run.finished", { verdict: "aborted", reason: "drill ended" }));
  writeFileSync(join(dir, "journal.jsonl"), `${lines.join("\n")}\n`);
  return state;
}

describe("a live drill's run is hidden from run listings", () => {
  it("is left out of list() and get() while the drill's process runs", async () => {
    const store = new LocalRunStore(stateWith("20261202t000000-aaaaaa", { drill: "d1", pid: process.pid }));
    expect(await store.list()).toEqual([]);
    expect(await store.get("20261202t000000-aaaaaa")).toBeUndefined();
  });
  it("is listed once the drill ended, or once its process is gone (interrupted)", async () => {
    const ended = new LocalRunStore(
      stateWith("20261202t000000-bbbbbb", { drill: "d1", pid: process.pid }, true),
    );
    expect((await ended.list()).map((r) => r.status)).toEqual(["finished"]);
    const gone = new LocalRunStore(stateWith("20261202t000000-cccccc", { drill: "d1", pid: 2 ** 22 + 7 }));
    expect((await gone.list()).map((r) => r.status)).toEqual(["interrupted"]);
  });
  it("an ordinary live run is listed as running", async () => {
    const store = new LocalRunStore(stateWith("20261202t000000-dddddd", { pid: process.pid }));
    expect((await store.list()).map((r) => r.status)).toEqual(["running"]);
  });
});
