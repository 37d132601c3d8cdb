import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { type InputIssue, ValidationError } from "../errors/gameday-error.js";

/**
 * Every input file (experiment, game day, targets) is untrusted and small: a real one is a few
 * kilobytes. The caps keep a hostile file from costing more than a second or a few MB to refuse.
 */
export const INPUT_LIMITS = {
  /** Bytes per file. */
  bytes: 1024 * 1024,
  /** Lines per file: the YAML parser's cost grows with nodes, and no experiment needs this many. */
  lines: 2_000,
  /**
   * Would-be YAML nodes, counted before parsing (line breaks, `: `, `- ` and commas): the parser
   * holds a few KB per node, so 125,000 items in one flow list cost half a gigabyte and many
   * seconds, and the parser spends about 0.2 ms per block-map entry, several times per validation: at
   * 1,500 the worst file under the cap validates in well under a second. A long real experiment has a
   * few hundred (the longest file in this repo: under 200).
   */
  items: 1_500,
} as const;

/** C0 controls except tab, LF and CR; DEL; C1 controls; bidi overrides that make text read unlike what it is. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

function refuse(file: string, message: string, at?: { line: number; column: number }): never {
  const issue: InputIssue = { file, path: "", message, ...(at ?? {}) };
  throw new ValidationError([issue]);
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return "not a regular file";
}

function openError(file: string, what: string, error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? "no such file"
      : code === "EISDIR"
        ? "it is a directory"
        : code === "EACCES"
          ? "permission denied"
          : (code ?? "unreadable");
  refuse(file, `cannot read the ${what}: ${reason}`);
}

/** Line and column of a byte offset in `bytes` (for invalid UTF-8, where no text exists yet). */
function positionOfByte(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = bytes.indexOf(10); i !== -1 && i < offset; i = bytes.indexOf(10, i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

function positionOfChar(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** The first byte where `bytes` stops being UTF-8 (TextDecoder says only that it is not). */
function firstInvalidUtf8(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const valid = (n: number) => {
    try {
      decoder.decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (valid(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Reads, bounds and decodes one input file, synchronously: opened non-blocking (a FIFO must not
 * hang the open), refused unless it is a regular file, read only up to the cap (a /proc file says
 * size 0; /dev/urandom never ends), then checked for UTF-8, control bytes and line count. Errors
 * name the file and say what is wrong, never what the file contains.
 */
export function readInputFileSync(file: string, what: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    openError(file, what, error);
  }
  let bytes: Buffer;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      refuse(file, `cannot read the ${what}: it is ${kindOf(stat)}, expected a regular file`);
    if (stat.size > INPUT_LIMITS.bytes)
      refuse(file, `the ${what} is ${stat.size} bytes, above the limit of ${INPUT_LIMITS.bytes}`);
    const buffer = Buffer.alloc(INPUT_LIMITS.bytes + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > INPUT_LIMITS.bytes)
        refuse(file, `the ${what} is above the limit of ${INPUT_LIMITS.bytes} bytes`);
    }
    bytes = buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    openError(file, what, error);
  } finally {
    closeSync(fd);
  }
  return decodeInput(bytes, file, what);
}

/** UTF-8 (a BOM is dropped), no control bytes, at most INPUT_LIMITS.lines lines. */
export function decodeInput(bytes: Buffer, file: string, what: string): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    refuse(file, `the ${what} is not valid UTF-8`, positionOfByte(bytes, firstInvalidUtf8(bytes)));
  }
  return checkInputText(text, file, what);
}

/** The checks on text that arrived without a file (a job payload's texts): size, control bytes, lines. */
export function checkInputText(text: string, file: string, what: string): string {
  if (text.length > INPUT_LIMITS.bytes)
    refuse(file, `the ${what} is above the limit of ${INPUT_LIMITS.bytes} bytes`);
  const control = CONTROL.exec(text);
  if (control) {
    const code = (control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    refuse(
      file,
      `the ${what} contains the control character U+${code}: expected printable text (write escapes such as "\\t" inside double quotes)`,
      positionOfChar(text, control.index),
    );
  }
  let lines = 1;
  let items = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      items++;
      if (++lines > INPUT_LIMITS.lines)
        refuse(file, `the ${what} has more than ${INPUT_LIMITS.lines} lines: expected a hand-written file`);
    } else if (c === 44 || ((c === 58 || c === 45) && text.charCodeAt(i + 1) === 32)) items++;
    if (items > INPUT_LIMITS.items)
      refuse(
        file,
        `the ${what} has more than ${INPUT_LIMITS.items} YAML items (keys, list entries, commas and lines): expected a hand-written file`,
      );
  }
  return text;
}

/** Reads an input file; a missing, unreadable, oversized or non-regular one is invalid input (exit 2). */
export async function readInputFile(file: string, what: string): Promise<string> {
  return readInputFileSync(file, what);
}
