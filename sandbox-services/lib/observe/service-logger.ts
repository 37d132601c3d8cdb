import { join } from "node:path";
import pino, { type Logger } from "pino";

export type ServiceLogger = Logger & { flushNow(): void };

/**
 * One JSON line per request, per outgoing attempt and per countermeasure decision (retry,
 * fallback, short circuit, shed), to `<logDir>/<service>.jsonl` when the launcher gives a folder,
 * else to stdout. Asynchronous writes (pino's SonicBoom), so a request never waits for the disk.
 * `false`: no logging at all (SANDBOX_OBSERVE=off).
 */
export function createServiceLogger(service: string, logDir: string | null | false): ServiceLogger {
  if (logDir === false) {
    // SANDBOX_OBSERVE=off: pino's disabled logger, every call a no-op, no file opened.
    const off = pino({ enabled: false }) as ServiceLogger;
    off.flushNow = () => {};
    return off;
  }
  const destination = pino.destination({
    dest: logDir ? join(logDir, `${service}.jsonl`) : 1,
    sync: false,
    mkdir: true,
  });
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
      // not ready yet (no line written): nothing to flush
    }
  };
  return logger;
}
