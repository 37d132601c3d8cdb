import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HaltSwitch } from "../../src/interfaces/halt-switch.js";
import { queueKeys } from "../../src/queue/queue-keys.js";
import { FolderHaltSwitch, HALT_FILE } from "../../src/safety/folder-halt-switch.js";
import { type HaltState, haltStateNow } from "../../src/safety/halt-state.js";
import { RedisHaltSwitch } from "../../src/safety/redis-halt-switch.js";
import { type PrivateRedis, startPrivateRedis } from "../queue/support/redis-server.js";

/** Polls until `fn` is true, at most `ms`; returns how long it took. */
async function within(ms: number, fn: () => boolean): Promise<number> {
  const start = Date.now();
  while (!fn()) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

let redis: PrivateRedis;
beforeAll(async () => {
  redis = await startPrivateRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const implementations: [string, () => { a: HaltSwitch; b: HaltSwitch }][] = [
  [
    "state folder",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "gameday-halt-"));
      return { a: new FolderHaltSwitch(dir), b: new FolderHaltSwitch(dir) };
    },
  ],
  [
    "Redis",
    () => {
      const keys = queueKeys(`gdtest-halt-${Math.random().toString(36).slice(2, 8)}`);
      return { a: new RedisHaltSwitch(redis.url, keys), b: new RedisHaltSwitch(redis.url, keys) };
    },
  ],
];

// Every HaltSwitch passes the same contract: `a` is `gameday halt`'s, `b` a run's or worker's elsewhere.
describe.each(implementations)("HaltSwitch contract: %s", (_name, make) => {
  it("is not halted at first; resume then says nothing was in force", async () => {
    const { a, b } = make();
    try {
      expect(await b.current()).toBeUndefined();
      expect(await a.resume()).toBeUndefined();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("halt is seen by another switch with reason, who, where and when; halt twice updates the reason", async () => {
    const { a, b } = make();
    try {
      const first = haltStateNow("deploy freeze");
      expect(await a.halt(first)).toBeUndefined();
      expect(await b.current()).toEqual(first);
      expect(first.by.length).toBeGreaterThan(0);
      expect(first.host.length).toBeGreaterThan(0);
      const second: HaltState = { ...haltStateNow("incident 42"), at: first.at + 1 };
      expect(await a.halt(second)).toEqual(first);
      expect((await b.current())?.reason).toBe("incident 42");
      expect(await a.resume()).toEqual(second);
      expect(await b.current()).toBeUndefined();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("a watcher hears a halt within 300 ms, once per halt, and again after resume and a new halt", async () => {
    const { a, b } = make();
    const heard: HaltState[] = [];
    const stop = b.watch((s) => heard.push(s));
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(heard).toEqual([]);
      await a.halt(haltStateNow("one"));
      expect(await within(300, () => heard.length === 1)).toBeLessThan(300);
      await new Promise((r) => setTimeout(r, 600));
      expect(heard.map((h) => h.reason)).toEqual(["one"]);
      await a.resume();
      await new Promise((r) => setTimeout(r, 400));
      await a.halt({ ...haltStateNow("two"), at: Date.now() + 1 });
      await within(300, () => heard.length === 2);
      expect(heard.map((h) => h.reason)).toEqual(["one", "two"]);
    } finally {
      stop();
      await a.resume();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("a halt already in force is heard as soon as watching starts", async () => {
    const { a, b } = make();
    try {
      await a.halt(haltStateNow("already"));
      const heard: string[] = [];
      const stop = b.watch((s) => heard.push(s.reason));
      await within(300, () => heard.length === 1);
      stop();
      await a.resume();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe("FolderHaltSwitch: an unreadable flag still halts (fail closed)", () => {
  it("garbage in halt.json reads as a halt that says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gameday-halt-"));
    writeFileSync(join(dir, HALT_FILE), "{not json");
    const s = new FolderHaltSwitch(dir);
    expect((await s.current())?.reason).toBe("a halt flag that could not be read");
    await s.close();
  });
  it("a halt.json that cannot be read at all (a folder there) is a halt too, not a resume", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gameday-halt-"));
    mkdirSync(join(dir, HALT_FILE));
    const s = new FolderHaltSwitch(dir);
    expect((await s.current())?.reason).toBe("a halt flag that could not be read");
    await s.close();
  });
});
