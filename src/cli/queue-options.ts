import { InvalidArgumentError, Option } from "commander";
import { parseDuration } from "../experiment/duration.js";

const durationArg = (text: string): number => {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new InvalidArgumentError(`expected a duration such as 10s or 500ms, found "${text}"`);
  return ms;
};

const positiveInt = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a whole number of at least 1, found "${text}"`);
  return n;
};

/** Options of the queue commands (enqueue, worker, schedule, runs, recover --leases). */
export const QUEUE_OPTIONS = {
  redis: () => new Option("--redis <url>", "Redis URL (default: $REDIS_URL or redis://127.0.0.1:6379)"),
  prefix: () =>
    new Option(
      "--prefix <prefix>",
      "key prefix of the queue in Redis (default: $GAMEDAY_QUEUE_PREFIX or gameday)",
    ),
  wait: () => new Option("--wait", "stream the run's progress and exit with its exit code"),
  timeout: () =>
    new Option("--timeout <duration>", "with --wait: give up waiting after this long").argParser(durationArg),
  concurrency: () =>
    new Option("--concurrency <n>", "game days this worker runs at once").argParser(positiveInt).default(1),
  leaseTtl: () =>
    new Option(
      "--lease-ttl <duration>",
      "a run's lease expires this long after its worker stopped renewing it",
    )
      .argParser(durationArg)
      .default(10_000, "10s"),
  janitorInterval: () =>
    new Option("--janitor-interval <duration>", "how often this worker looks for expired leases")
      .argParser(durationArg)
      .default(1000, "1s"),
  limit: () => new Option("--limit <n>", "how many runs, newest first").argParser(positiveInt).default(20),
  cron: () =>
    new Option(
      "--cron <pattern>",
      'cron pattern, e.g. "0 10 1 * *" (10:00 on the 1st of each month)',
    ).makeOptionMandatory(),
  tz: () =>
    new Option("--tz <zone>", "IANA time zone of the cron pattern, e.g. Europe/Berlin (default: UTC)"),
  leases: () =>
    new Option(
      "--leases",
      "also revert the faults of queued runs whose worker died (expired leases in Redis)",
    ),
} as const;
