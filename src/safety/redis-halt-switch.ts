import type { Redis } from "ioredis";
import type { HaltSwitch } from "../interfaces/halt-switch.js";
import type { QueueKeys } from "../queue/queue-keys.js";
import { connectRedis } from "../queue/redis-connection.js";
import { redact } from "../redact/redact.js";
import { type HaltState, parseHaltState } from "./halt-state.js";

const POLL_MS = 250;
const RESUMED = "resumed";

/**
 * The halt as a key in the queue's Redis plus a message on a channel: workers and CLI runs on any
 * machine sharing that Redis react to the message at once, and a poll of the key catches a
 * message missed while a connection was down.
 */
export class RedisHaltSwitch implements HaltSwitch {
  readonly where: string;
  private client: Promise<Redis> | undefined;
  private subscriber: Redis | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly watchers = new Set<(s: HaltState | undefined) => void>();

  constructor(
    private readonly url: string,
    private readonly keys: QueueKeys,
  ) {
    this.where = `Redis ${redact(url)} (prefix ${keys.prefix})`;
  }

  private redis(): Promise<Redis> {
    this.client ??= connectRedis(this.url);
    return this.client;
  }

  async current(): Promise<HaltState | undefined> {
    const raw = await (await this.redis()).get(this.keys.halt);
    return raw === null ? undefined : parseHaltState(raw);
  }

  async halt(state: HaltState): Promise<HaltState | undefined> {
    const redis = await this.redis();
    const json = JSON.stringify(state);
    const replies = await redis.multi().get(this.keys.halt).set(this.keys.halt, json).exec();
    await redis.publish(this.keys.haltChannel, json);
    const previous = replies?.[0]?.[1];
    return typeof previous === "string" ? parseHaltState(previous) : undefined;
  }

  async resume(): Promise<HaltState | undefined> {
    const redis = await this.redis();
    const replies = await redis.multi().get(this.keys.halt).del(this.keys.halt).exec();
    await redis.publish(this.keys.haltChannel, RESUMED);
    const previous = replies?.[0]?.[1];
    return typeof previous === "string" ? parseHaltState(previous) : undefined;
  }

  watch(listener: (state: HaltState) => void): () => void {
    let seen: number | undefined;
    const deliver = (s: HaltState | undefined) => {
      if (!s) seen = undefined;
      else if (seen !== s.at) {
        seen = s.at;
        listener(s);
      }
    };
    this.watchers.add(deliver);
    this.startWatching();
    return () => {
      this.watchers.delete(deliver);
      if (!this.watchers.size) this.stopWatching();
    };
  }

  private startWatching(): void {
    if (this.timer) return;
    const poll = async () => {
      try {
        const s = await this.current();
        for (const w of this.watchers) w(s);
      } catch {
        // Redis away: the next poll looks again (the run's own lock and lease notice the outage)
      }
    };
    const timer = setInterval(() => void poll(), POLL_MS);
    timer.unref();
    this.timer = timer;
    void poll();
    void this.redis()
      .then(async (redis) => {
        // Watching stopped (or restarted) before the connection came: no subscriber for it, or
        // its socket would keep the process alive after close().
        if (this.timer !== timer) return;
        const sub = redis.duplicate();
        sub.on("error", () => {});
        sub.on("message", (_channel: string, raw: string) => {
          const s = raw === RESUMED ? undefined : parseHaltState(raw);
          for (const w of this.watchers) w(s);
        });
        this.subscriber = sub;
        await sub.subscribe(this.keys.haltChannel);
        if (this.timer !== timer) sub.disconnect();
      })
      .catch(() => {});
  }

  private stopWatching(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  async close(): Promise<void> {
    this.watchers.clear();
    this.stopWatching();
    const client = this.client;
    this.client = undefined;
    if (client) await (await client.catch(() => undefined))?.quit().catch(() => {});
  }
}
