import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
function clockTicks(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100; // the Linux default
  }
}

export interface ProcUsage {
  /** CPU seconds at the last successful read (utime, stime). */
  userS: number;
  sysS: number;
  /** Max VmRSS seen over all polls, and VmHWM (kernel-kept peak) at the last read, in MiB. */
  maxRssMiB: number;
  hwmMiB: number;
  polls: number;
  /** Time between the last successful read and the process's exit (what the last read may miss). */
  lastReadAt: number;
  /** [ms since the first read, VmRSS MiB] per poll, to tell steady growth from a plateau. */
  rssSeries: [number, number][];
}

function kib(status: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return m ? Number(m[1]) : undefined;
}

/**
 * Polls /proc/<pid>/stat and /status every intervalMs until stopped. The process's own accounting is
 * gone once it exits, so the figures are those of the last read, at most one interval before exit.
 */
export function sampleProc(pid: number, intervalMs = 200): { stop(): ProcUsage } {
  const ticks = clockTicks();
  const usage: ProcUsage = {
    userS: 0,
    sysS: 0,
    maxRssMiB: 0,
    hwmMiB: 0,
    polls: 0,
    lastReadAt: 0,
    rssSeries: [],
  };
  const t0 = Date.now();
  const read = () => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      // Fields after the ")" that closes comm: state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const rss = kib(status, "VmRSS");
      const hwm = kib(status, "VmHWM");
      if (rss === undefined || hwm === undefined) return; // a zombie: no memory left to read
      usage.userS = Number(fields[11]) / ticks;
      usage.sysS = Number(fields[12]) / ticks;
      usage.maxRssMiB = Math.max(usage.maxRssMiB, rss / 1024);
      usage.hwmMiB = hwm / 1024;
      usage.polls++;
      usage.lastReadAt = Date.now();
      usage.rssSeries.push([usage.lastReadAt - t0, Math.round(rss / 1024)]);
    } catch {
      // exited between polls
    }
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return usage;
    },
  };
}
