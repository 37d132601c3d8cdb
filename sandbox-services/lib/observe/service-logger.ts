import { readdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import {
  currentLogName,
  DEFAULT_LOG_ROTATION,
  type LogRotation,
  rotatedGeneration,
  rotatedLogName,
} from "./log-files.js";

export type { LogRotation } from "./log-files.js";

export type ServiceLogger = Logger & { flushNow(): void };

/**
 * One JSON line per request, per outgoing attempt and per countermeasure decision (retry,
 * fallback, short circuit, shed), to `<logDir>/<service>.jsonl` when the launcher gives a folder,
 * else to stdout. Asynchronous writes (pino's SonicBoom), so a request never waits for the disk.
 * `false`: no logging at all (SANDBOX_OBSERVE=off).
 *
 * The file rotates by size in the same destination, on the main thread (no transport worker):
 * once SonicBoom has written `maxBytes` to it, the rotated files shift by one
 * (`<service>.1.jsonl` -> `.2`, the oldest beyond `maxFiles` is dropped), the current file becomes
 * `<service>.1.jsonl` and SonicBoom reopens `<service>.jsonl`. SonicBoom finishes the write in
 * flight on the old descriptor before it reopens and buffers whole `write()` calls, so a line is
 * never split across two files and none is lost: lines logged meanwhile go to the new file.
 */
export function createServiceLogger(
  service: string,
  logDir: string | null | false,
  rotation: LogRotation = DEFAULT_LOG_ROTATION,
): ServiceLogger {
  if (logDir === false) {
    // SANDBOX_OBSERVE=off: pino's disabled logger, every call a no-op, no file opened.
    const off = pino({ enabled: false }) as ServiceLogger;
    off.flushNow = () => {};
    return off;
  }
  const file = logDir ? join(logDir, currentLogName(service)) : undefined;
  const destination = pino.destination({ dest: file ?? 1, sync: false, mkdir: true });
  if (logDir && file && rotation.maxBytes > 0) rotateBySize(destination, logDir, service, file, rotation);
  const logger = pino(
    {
      base: { service },
      messageKey: "msg",
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  ) as ServiceLogger;
  logger.flushNow = () => {
    try {
      destination.flushSync();
    } catch {
      // not ready yet (no line written), or reopening after a rotation: nothing to flush
    }
  };
  return logger;
}

type Destination = ReturnType<typeof pino.destination>;

function rotateBySize(destination: Destination, dir: string, service: string, file: string, r: LogRotation) {
  let size = 0;
  try {
    size = statSync(file).size; // appending to what an earlier process wrote
  } catch {
    // no file yet
  }
  let reopening = false;
  // 'write': bytes SonicBoom has written to the current descriptor (one event per write(2), not per line).
  destination.on("write", (n: number) => {
    size += n;
    if (size < r.maxBytes || reopening) return;
    reopening = true;
    size = 0;
    shiftFiles(dir, service, file, r.maxFiles);
    destination.once("ready", () => {
      reopening = false;
    });
    destination.reopen();
  });
}

/** `<service>.jsonl` becomes `<service>.1.jsonl`, each rotated file moves one older, at most `maxFiles` remain. */
function shiftFiles(dir: string, service: string, file: string, maxFiles: number): void {
  const attempt = (f: () => void) => {
    try {
      f();
    } catch {
      // already gone (someone cleaned the folder): nothing to move
    }
  };
  // Older generations than kept (a smaller SANDBOX_LOG_MAX_FILES than before) go first.
  let names: string[] = [];
  attempt(() => {
    names = readdirSync(dir);
  });
  for (const name of names) {
    const n = rotatedGeneration(service, name);
    if (n !== undefined && n >= maxFiles) attempt(() => unlinkSync(join(dir, name)));
  }
  if (maxFiles === 0) {
    attempt(() => unlinkSync(file));
    return;
  }
  for (let n = maxFiles - 1; n >= 1; n--)
    attempt(() =>
      renameSync(join(dir, rotatedLogName(service, n)), join(dir, rotatedLogName(service, n + 1))),
    );
  attempt(() => renameSync(file, join(dir, rotatedLogName(service, 1))));
}
