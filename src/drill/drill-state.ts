import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ExitCode, GamedayError } from "../errors/gameday-error.js";
import { type DrillEvent, drillEventSchema, type NewDrillEvent } from "./drill-events.js";

/** What another process needs to act on a live drill: its address and whether it still runs. */
export const drillInfoSchema = z.object({
  id: z.string(),
  drill: z.string(),
  pid: z.number(),
  url: z.string(),
  startedAt: z.number(),
  status: z.enum(["running", "ended"]),
});
export type DrillInfo = z.infer<typeof drillInfoSchema>;

/** Per-responder tokens and the organizer's (stop); the file is readable by its owner only. */
export const drillTokensSchema = z.object({
  organizer: z.string(),
  responders: z.record(z.string(), z.string()),
});
export type DrillTokens = z.infer<typeof drillTokensSchema>;

export class DrillNotFoundError extends GamedayError {
  constructor(message: string) {
    super("E_DRILL_NOT_FOUND", message, ExitCode.invalid);
  }
}

export const drillsDir = (stateDir: string) => join(stateDir, "drills");
export const newDrillId = () =>
  `drill-${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "")}-${randomBytes(3).toString("hex")}`;
export const newToken = () => randomBytes(24).toString("base64url");

/** One drill's folder: drill.json, tokens.json, timeline.jsonl, and the report at the end. */
export class DrillFolder {
  readonly dir: string;
  constructor(
    stateDir: string,
    readonly id: string,
  ) {
    this.dir = join(drillsDir(stateDir), id);
  }

  create(): void {
    mkdirSync(this.dir, { recursive: true });
  }
  path(name: string): string {
    return join(this.dir, name);
  }
  writeInfo(info: DrillInfo): void {
    writeFileSync(this.path("drill.json"), `${JSON.stringify(info, null, 2)}\n`);
  }
  readInfo(): DrillInfo {
    return drillInfoSchema.parse(JSON.parse(readFileSync(this.path("drill.json"), "utf8")));
  }
  writeTokens(tokens: DrillTokens): void {
    writeFileSync(this.path("tokens.json"), `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  }
  readTokens(): DrillTokens {
    return drillTokensSchema.parse(JSON.parse(readFileSync(this.path("tokens.json"), "utf8")));
  }
  readTimeline(): DrillEvent[] {
    const file = this.path("timeline.jsonl");
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .flatMap((l) => {
        const parsed = drillEventSchema.safeParse(JSON.parse(l));
        return parsed.success ? [parsed.data] : [];
      });
  }

  /** The drill the CLI means: the one named, else the newest in the state folder. */
  static find(stateDir: string, id?: string): DrillFolder {
    const dir = drillsDir(stateDir);
    if (id !== undefined) {
      if (!/^drill-[0-9A-Za-z-]{1,60}$/.test(id) || !existsSync(join(dir, id, "drill.json")))
        throw new DrillNotFoundError(`no drill "${id.slice(0, 80)}" in ${dir}`);
      return new DrillFolder(stateDir, id);
    }
    const ids = existsSync(dir) ? readdirSync(dir).filter((n) => existsSync(join(dir, n, "drill.json"))) : [];
    const newest = ids.sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs)[0];
    if (!newest) throw new DrillNotFoundError(`no drill in ${dir}: start one with gameday drill start`);
    return new DrillFolder(stateDir, newest);
  }
}

/** The drill's timeline: appended to timeline.jsonl as it happens, and kept in memory for the API. */
export class DrillTimeline {
  readonly events: DrillEvent[] = [];
  constructor(private readonly file: string) {}

  add(event: NewDrillEvent, t = Date.now()): DrillEvent {
    const full = drillEventSchema.parse({ ...event, t });
    this.events.push(full);
    appendFileSync(this.file, `${JSON.stringify(full)}\n`);
    return full;
  }

  of<T extends DrillEvent["type"]>(type: T): Extract<DrillEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<DrillEvent, { type: T }> => e.type === type);
  }
}
