import { totalmem } from "node:os";
import { z } from "zod";

const UNITS: Record<string, number> = {
  k: 1024,
  ki: 1024,
  kb: 1000,
  m: 1024 ** 2,
  mi: 1024 ** 2,
  mb: 1000 ** 2,
  g: 1024 ** 3,
  gi: 1024 ** 3,
  gb: 1000 ** 3,
};
const SIZE = /^(\d+(?:\.\d+)?)\s*([kKmMgG][iI]?[bB]?)$/;

/** Bytes of "256Mi", "64m", "1GB"; undefined when the text is not a size with a unit. */
export function parseMemorySize(text: string): number | undefined {
  const m = SIZE.exec(text.trim());
  if (!m) return undefined;
  const unit = UNITS[(m[2] as string).toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}

export function formatMemorySize(bytes: number): string {
  if (bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3}Gi`;
  if (bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}Mi`;
  return `${Math.round(bytes / 1024)}Ki`;
}

function problem(input: unknown): string | undefined {
  if (typeof input === "number")
    return `expected a memory size with a unit, found the bare number ${input}: write "${input}Mi" or "${input}Gi"`;
  if (typeof input !== "string") return 'expected a memory size such as "256Mi" or "1Gi"';
  const bytes = parseMemorySize(input);
  if (bytes === undefined)
    return /^\d+(\.\d+)?$/.test(input.trim())
      ? `expected a memory size with a unit (Ki, Mi, Gi, or k, m, g), found "${input}" without one: write "${input}Mi"`
      : `expected a memory size such as "256Mi", "64m" or "1Gi", found "${input}"`;
  if (bytes < 6 * 1024 ** 2)
    return `expected at least 6Mi (Docker's smallest memory limit), found "${input}"`;
  if (bytes > totalmem())
    return `expected at most this host's memory (${formatMemorySize(Math.floor(totalmem() / 1024 ** 2) * 1024 ** 2)}), found "${input}"`;
  return undefined;
}

/**
 * A memory size with a unit, parsed to bytes. Bare numbers are refused ("512" could be bytes or MB),
 * and so is anything larger than the host, which no limit or hog could mean.
 */
export const memorySize = z
  .string({ error: (issue) => problem(issue.input) })
  .regex(SIZE, { error: (issue) => problem(issue.input) })
  .superRefine((v, ctx) => {
    const message = problem(v);
    if (message) ctx.addIssue({ code: "custom", message });
  })
  .transform((v) => parseMemorySize(v) as number)
  .describe('a memory size with a unit: "256Mi", "64m", "1Gi"');
