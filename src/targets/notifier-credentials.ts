import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import type { ResolvedNotifier } from "../interfaces/notifier.js";
import { CredentialError, type CredentialSource, readCredential } from "./credentials.js";
import { httpUrlProblem, MAX_URL_LENGTH } from "./http-url.js";
import { NOTIFY_EVENTS, type NotifierConfig } from "./notify-schema.js";
import type { Target } from "./targets-schema.js";

/** What is said of a bad URL read from a secret: nothing of the value itself. */
const SECRET_URL_PROBLEM = `the URL read from it is not an http(s) URL with a host (at most ${MAX_URL_LENGTH} characters, no user:password); the value is a secret and is not shown`;

/**
 * The target's notifiers, the game day's selection applied (undefined: all of them), with every
 * secret read and registered for redaction before anything can print it. A secret that cannot be
 * read, or a URL from a secret that is not http(s), is an input error of the targets file (exit 2,
 * before anything is touched), naming the field; it never says what was read. With onUnreadable
 * (a queued job, whose worker checked them at its start), such a notifier is left out and its
 * issues passed there instead: a secret rotated under a running worker never fails a run.
 */
export function resolveNotifiers(
  targetName: string,
  target: Target,
  targetsFile: string,
  selection?: readonly string[],
  onUnreadable?: (issue: InputIssue) => void,
): ResolvedNotifier[] {
  const out: ResolvedNotifier[] = [];
  const issues: InputIssue[] = [];
  for (const [name, config] of Object.entries(target.notify ?? {})) {
    if (selection && !selection.includes(name)) continue;
    const field = `targets.${targetName}.notify.${name}`;
    const before = issues.length;
    const read = (source: CredentialSource | undefined, key: string): string | undefined => {
      if (!source) return undefined;
      try {
        return readCredential(source);
      } catch (err) {
        if (!(err instanceof CredentialError)) throw err;
        issues.push({ file: targetsFile, path: `${field}.${key}`, message: err.message });
        return undefined;
      }
    };
    // A URL from a secret is masked as a whole (Slack's path is its token): readCredential registers it.
    const url = typeof config.url === "string" ? config.url : read(config.url, "url");
    const secret = read(config.secret, "secret");
    const token = read(config.token, "token");
    if (url !== undefined && httpUrlProblem(url))
      // The value came from a secret: one fixed message, since httpUrlProblem quotes parts of it (the scheme).
      issues.push({ file: targetsFile, path: `${field}.url`, message: SECRET_URL_PROBLEM });
    if (issues.length > before || url === undefined) continue;
    out.push(resolved(name, config, url, secret, token));
  }
  if (issues.length && onUnreadable) for (const issue of issues) onUnreadable(issue);
  else if (issues.length) throw new ValidationError(issues);
  return out;
}

function resolved(
  name: string,
  config: NotifierConfig,
  url: string,
  secret: string | undefined,
  token: string | undefined,
): ResolvedNotifier {
  return {
    name,
    format: config.format,
    url,
    secret,
    token,
    events: config.events ?? NOTIFY_EVENTS,
    tags: config.tags,
    dashboardUID: config.dashboardUID,
  };
}
