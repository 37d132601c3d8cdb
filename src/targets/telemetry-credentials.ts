import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import { readInputFileSync } from "../experiment/read-input.js";
import { locateValue } from "../experiment/yaml-locator.js";
import { parseYamlSource } from "../experiment/yaml-source.js";
import type { ResolvedTelemetry } from "../interfaces/trace-sink.js";
import { CredentialError, readCredential } from "./credentials.js";
import type { LoadedTargets } from "./targets-loader.js";

/**
 * The targets file's telemetry, every header secret read and registered for redaction before
 * anything can print it; undefined when the file configures none. A secret that cannot be read is
 * an input error (exit 2, before anything runs) naming the file, the line and the field, never what
 * was read.
 */
export function resolveTelemetry(targets: LoadedTargets): ResolvedTelemetry | undefined {
  const otlp = targets.targets.telemetry?.otlp;
  if (!otlp) return undefined;
  const headers: Record<string, string> = {};
  const issues: InputIssue[] = [];
  for (const [name, source] of Object.entries(otlp.headers)) {
    try {
      headers[name] = readCredential(source);
    } catch (err) {
      if (!(err instanceof CredentialError)) throw err;
      const path = ["telemetry", "otlp", "headers", name];
      issues.push({
        file: targets.file,
        ...lineOf(targets.file, path),
        path: path.join("."),
        message: err.message,
      });
    }
  }
  if (issues.length) throw new ValidationError(issues);
  return { protocol: "otlp", endpoint: otlp.endpoint, headers };
}

/** Where the field is written, when the file can be read again (it was a moment ago). */
function lineOf(file: string, path: string[]): { line?: number; column?: number } {
  try {
    const source = parseYamlSource(readInputFileSync(file, "targets file"), file, "").source;
    if (!source) return {};
    const at = locateValue(source, path);
    return { line: at.line, column: at.column };
  } catch {
    return {};
  }
}

/** For plan and validate: the receiver and its header names, never their values. */
export function describeTelemetry(t: { endpoint: string; headers: Record<string, unknown> }): string {
  const names = Object.keys(t.headers);
  return `OTLP traces to ${t.endpoint}${names.length ? ` (headers: ${names.join(", ")})` : ""}`;
}
