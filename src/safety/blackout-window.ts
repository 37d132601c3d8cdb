import { formatDuration } from "../experiment/duration.js";
import { type Blackout, WEEKDAY_NAMES } from "../targets/blackout-schema.js";
import { formatZoned, wallTime, zonedToEpoch } from "./zoned-time.js";

const DAY_MS = 86_400_000;
/** A run is planned for at most a few days; the scan of weekly windows is bounded anyway. */
const MAX_DAYS = 400;

/** One occurrence of a window: its instants. */
export interface BlackoutHit {
  window: Blackout;
  start: number;
  end: number;
}

function parseLocal(text: string) {
  const [date, time = "00:00"] = text.split("T") as [string, string?];
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return { year, month, day, hour, minute };
}

function clock(text: string): { hour: number; minute: number } {
  const [hour, minute] = text.split(":").map(Number) as [number, number];
  return { hour, minute };
}

/** The occurrences of one window that overlap [start, end). */
function occurrences(w: Blackout, start: number, end: number): BlackoutHit[] {
  if (w.from !== undefined && w.to !== undefined) {
    const s = zonedToEpoch(parseLocal(w.from), w.timezone);
    const e = zonedToEpoch(parseLocal(w.to), w.timezone);
    return s < end && e > start ? [{ window: w, start: s, end: e }] : [];
  }
  if (!w.weekly) return [];
  const from = clock(w.weekly.from);
  const to = clock(w.weekly.to);
  // `to` at or before `from` (22:00 to 06:00, or anything to 24:00 read as 00:00) ends the next day.
  const nextDay = to.hour * 60 + to.minute <= from.hour * 60 + from.minute;
  const days = new Set(w.weekly.days.map((d) => WEEKDAY_NAMES.indexOf(d)));
  // From the day before `start` (a window that began yesterday may still run) to the day `end` falls on.
  const first = wallTime(start - DAY_MS, w.timezone);
  const count = Math.min(MAX_DAYS, Math.ceil((end - start) / DAY_MS) + 3);
  const hits: BlackoutHit[] = [];
  for (let i = 0; i < count; i++) {
    const day = new Date(Date.UTC(first.year, first.month - 1, first.day + i));
    if (!days.has(day.getUTCDay())) continue;
    const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    const s = zonedToEpoch({ ...date, ...from }, w.timezone);
    const endDate = nextDay ? new Date(Date.UTC(date.year, date.month - 1, date.day + 1)) : day;
    const e = zonedToEpoch(
      { year: endDate.getUTCFullYear(), month: endDate.getUTCMonth() + 1, day: endDate.getUTCDate(), ...to },
      w.timezone,
    );
    if (s < end && e > start) hits.push({ window: w, start: s, end: e });
  }
  return hits;
}

/** The earliest window occurrence overlapping [start, end), if any. */
export function blackoutOverlapping(
  windows: readonly Blackout[],
  start: number,
  end: number,
): BlackoutHit | undefined {
  const hits = windows.flatMap((w) => occurrences(w, start, end));
  return hits.sort((a, b) => a.start - b.start)[0];
}

function describeWindow(w: Blackout): string {
  if (w.weekly) return `weekly ${w.weekly.days.join(",")} ${w.weekly.from}-${w.weekly.to} ${w.timezone}`;
  return `${w.from} to ${w.to} ${w.timezone}`;
}

/** Why a run starting at `now` and planned for `plannedMs` is refused, or undefined. */
export function blackoutRefusal(
  windows: readonly Blackout[],
  targetName: string,
  now: number,
  plannedMs: number,
): string | undefined {
  const hit = blackoutOverlapping(windows, now, now + plannedMs);
  if (!hit) return undefined;
  const { window: w } = hit;
  const ends = `${formatZoned(hit.end, w.timezone)} (${new Date(hit.end).toISOString()})`;
  if (hit.start <= now)
    return `refused: target ${targetName} is in blackout window "${w.name}" (${describeWindow(w)}) until ${ends}; nothing was touched`;
  return (
    `refused: the run's planned duration (${formatDuration(plannedMs)}) would reach blackout window "${w.name}" ` +
    `(${describeWindow(w)}) of target ${targetName}, which starts at ${formatZoned(hit.start, w.timezone)} ` +
    `(${new Date(hit.start).toISOString()}) and ends at ${ends}; nothing was touched`
  );
}
