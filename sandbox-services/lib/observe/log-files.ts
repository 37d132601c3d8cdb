import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Size-based rotation of `<service>.jsonl` (SANDBOX_LOG_MAX_BYTES, SANDBOX_LOG_MAX_FILES). */
export interface LogRotation {
  /** The current file is rotated once it holds this many bytes; 0: never. */
  maxBytes: number;
  /** Rotated files kept beside the current one (`<service>.1.jsonl` the newest); older ones are deleted. */
  maxFiles: number;
}

export const DEFAULT_LOG_ROTATION: LogRotation = { maxBytes: 10 * 1024 * 1024, maxFiles: 5 };

/**
 * The names of a service's structured log: `<service>.jsonl` is the file being written, and
 * `<service>.1.jsonl` (the newest) .. `<service>.<n>.jsonl` (the oldest) the rotated ones, so
 * `*.jsonl` still matches every file of every service.
 */
export function currentLogName(service: string): string {
  return `${service}.jsonl`;
}

export function rotatedLogName(service: string, n: number): string {
  return `${service}.${n}.jsonl`;
}

/** The generation of a rotated file of this service (1 = the newest), or undefined for any other name. */
export function rotatedGeneration(service: string, name: string): number | undefined {
  if (!name.startsWith(`${service}.`) || !name.endsWith(".jsonl")) return undefined;
  const middle = name.slice(service.length + 1, -".jsonl".length);
  return /^[1-9][0-9]{0,5}$/.test(middle) ? Number(middle) : undefined;
}

/** The rotated files of a service in a log folder, newest first (the current file not included). */
export function rotatedLogFiles(dir: string, service: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((name) => {
      const n = rotatedGeneration(service, name);
      return n === undefined ? [] : [{ n, file: join(dir, name) }];
    })
    .sort((a, b) => a.n - b.n)
    .map((f) => f.file);
}

/** Every file of a service's structured log, newest first: the current one, then the rotated ones. */
export function serviceLogFiles(dir: string, service: string): string[] {
  return [join(dir, currentLogName(service)), ...rotatedLogFiles(dir, service)];
}
