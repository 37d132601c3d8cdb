import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { Bulkhead, type BulkheadPolicy } from "../../sandbox-services/lib/bulkhead.js";

/** A call that stays in flight until released by hand. */
function gate() {
  let open: () => void = () => {};
  const done = new Promise<void>((r) => {
    open = r;
  });
  return { done, open: () => open() };
}

function bulkhead(policy: Partial<BulkheadPolicy> = {}) {
  const seen: Array<[number, number]> = [];
  const b = new Bulkhead(
    { maxConcurrent: 2, maxQueue: 1, queueTimeoutMs: 50, ...policy },
    { onChange: (inFlight, queued) => seen.push([inFlight, queued]) },
  );
  return { b, seen };
}

describe("bulkhead", () => {
  it("admits up to the limit, queues one more, and sheds the rest without running them", async () => {
    const { b } = bulkhead();
    const g = gate();
    let ran = 0;
    const call = () =>
      b.run(async () => {
        ran++;
        await g.done;
        return ran;
      });
    const first = call();
    const second = call();
    const queued = call();
    expect(await call()).toBeUndefined(); // two in flight, one waiting: shed at once
    expect([b.inFlight, b.queued, ran]).toEqual([2, 1, 2]);
    g.open();
    expect(await first).toBeDefined();
    expect(await second).toBeDefined();
    expect(await queued).toEqual({ value: 3 }); // the waiting call got a freed slot
    expect([b.inFlight, b.queued]).toEqual([0, 0]);
  });

  it("sheds a waiting call that gets no slot within the queue timeout", async () => {
    const { b, seen } = bulkhead({ maxConcurrent: 1, queueTimeoutMs: 20 });
    const g = gate();
    const held = b.run(() => g.done);
    const started = performance.now();
    expect(await b.run(async () => "never")).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    expect(b.queued).toBe(0);
    g.open();
    await held;
    expect(seen.at(-1)).toEqual([0, 0]);
    expect(Math.max(...seen.map(([n]) => n))).toBe(1);
  });

  it("frees the slot when the call throws", async () => {
    const { b } = bulkhead({ maxConcurrent: 1, maxQueue: 0 });
    await expect(b.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(b.inFlight).toBe(0);
    expect(await b.run(async () => 1)).toEqual({ value: 1 });
  });

  it("with limit 0 (the `*-bulkhead` switches) admits everything but still counts in-flight calls", async () => {
    const { b, seen } = bulkhead({ maxConcurrent: 0, maxQueue: 0 });
    const g = gate();
    const calls = Array.from({ length: 50 }, () => b.run(() => g.done));
    await sleep(1);
    expect(b.inFlight).toBe(50);
    g.open();
    expect((await Promise.all(calls)).every((r) => r !== undefined)).toBe(true);
    expect(Math.max(...seen.map(([n]) => n))).toBe(50);
    expect(b.inFlight).toBe(0);
  });
});
