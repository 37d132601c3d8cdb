/**
 * The part of GitHub Actions' expression language that action.yml uses, evaluated the way the
 * runner does: `inputs.x`, `steps.id.outputs.x`, `github.*`, string/number/boolean literals, `==`
 * and `!=` (strings compared case-insensitively), `!`, `&&` and `||` (which return an operand, so
 * `a || b` picks the first truthy one), parentheses, and the status functions. Anything else is an
 * error, so the local runner never silently reads an expression differently from GitHub.
 */
export type ExpressionValue = string | number | boolean | null;

export interface ExpressionContext {
  inputs: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
  github: Record<string, string>;
  /** true once any earlier step failed (success() and failure() read it). */
  failed: boolean;
}

type Token =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "ident"; value: string }
  | { kind: "op"; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated string in expression: ${text}`);
        if (text[i] === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (text[i] === "'") {
          i++;
          break;
        } else value += text[i++];
      }
      tokens.push({ kind: "string", value });
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(text.slice(i));
      tokens.push({ kind: "number", value: Number(m?.[0]) });
      i += m?.[0].length ?? 1;
    } else if (/[A-Za-z_]/.test(c)) {
      // Property names may contain dashes (steps.run.outputs.exit-code).
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
      tokens.push({ kind: "ident", value: m?.[0] ?? c });
      i += m?.[0].length ?? 1;
    } else {
      const two = text.slice(i, i + 2);
      if (["==", "!=", "&&", "||"].includes(two)) {
        tokens.push({ kind: "op", value: two });
        i += 2;
      } else if ("!().".includes(c)) {
        tokens.push({ kind: "op", value: c });
        i++;
      } else throw new Error(`unsupported character "${c}" in expression: ${text}`);
    }
  }
  return tokens;
}

export function truthy(v: ExpressionValue): boolean {
  return v !== null && v !== false && v !== 0 && v !== "";
}

function equal(a: ExpressionValue, b: ExpressionValue): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b) return a === b;
  // Mixed types compare as numbers, as GitHub does ('' and null are 0, true is 1).
  const num = (v: ExpressionValue) => (v === null || v === "" ? 0 : Number(v));
  return num(a) === num(b);
}

class Parser {
  private pos = 0;
  /** Whether the expression called a status function (if: without one implies success()). */
  statusCalled = false;

  constructor(
    private readonly tokens: Token[],
    private readonly ctx: ExpressionContext,
    private readonly text: string,
  ) {}

  parse(): ExpressionValue {
    const v = this.or();
    if (this.pos < this.tokens.length) throw new Error(`unexpected token in expression: ${this.text}`);
    return v;
  }

  private peekOp(op: string): boolean {
    const t = this.tokens[this.pos];
    return t?.kind === "op" && t.value === op;
  }

  private expectOp(op: string): void {
    if (!this.peekOp(op)) throw new Error(`expected "${op}" in expression: ${this.text}`);
    this.pos++;
  }

  private or(): ExpressionValue {
    let left = this.and();
    while (this.peekOp("||")) {
      this.pos++;
      const right = this.and();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private and(): ExpressionValue {
    let left = this.comparison();
    while (this.peekOp("&&")) {
      this.pos++;
      const right = this.comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private comparison(): ExpressionValue {
    let left = this.unary();
    while (this.peekOp("==") || this.peekOp("!=")) {
      const op = (this.tokens[this.pos++] as { value: string }).value;
      const right = this.unary();
      left = op === "==" ? equal(left, right) : !equal(left, right);
    }
    return left;
  }

  private unary(): ExpressionValue {
    if (this.peekOp("!")) {
      this.pos++;
      return !truthy(this.unary());
    }
    return this.primary();
  }

  private primary(): ExpressionValue {
    const t = this.tokens[this.pos++];
    if (!t) throw new Error(`unexpected end of expression: ${this.text}`);
    if (t.kind === "string" || t.kind === "number") return t.value;
    if (t.kind === "op" && t.value === "(") {
      const v = this.or();
      this.expectOp(")");
      return v;
    }
    if (t.kind !== "ident") throw new Error(`unexpected "${t.value}" in expression: ${this.text}`);
    if (t.value === "true") return true;
    if (t.value === "false") return false;
    if (t.value === "null") return null;
    if (this.peekOp("(")) return this.call(t.value);
    return this.property(t.value);
  }

  private call(name: string): ExpressionValue {
    this.expectOp("(");
    this.expectOp(")");
    this.statusCalled = true;
    if (name === "always") return true;
    if (name === "success") return !this.ctx.failed;
    if (name === "failure") return this.ctx.failed;
    if (name === "cancelled") return false;
    throw new Error(`unsupported function ${name}() in expression: ${this.text}`);
  }

  private name(): string {
    this.expectOp(".");
    const t = this.tokens[this.pos++];
    if (t?.kind !== "ident") throw new Error(`expected a property name in expression: ${this.text}`);
    return t.value;
  }

  private property(root: string): ExpressionValue {
    if (root === "inputs") {
      const key = this.name();
      if (!(key in this.ctx.inputs)) throw new Error(`inputs.${key} is not an input of the action`);
      return this.ctx.inputs[key] ?? "";
    }
    if (root === "github") return this.ctx.github[this.name()] ?? "";
    if (root === "steps") {
      const id = this.name();
      const section = this.name();
      if (section !== "outputs") throw new Error(`only steps.<id>.outputs is supported: ${this.text}`);
      const key = this.name(); // read before the lookup: a step that never ran has no outputs
      return this.ctx.steps[id]?.outputs[key] ?? "";
    }
    throw new Error(`unsupported context "${root}" in expression: ${this.text}`);
  }
}

/** One expression (the text between `${{` and `}}`, or a whole `if:`). */
export function evaluate(text: string, ctx: ExpressionContext): ExpressionValue {
  return new Parser(tokenize(text), ctx, text).parse();
}

const EMBEDDED = /\$\{\{(.*?)\}\}/gs;

/** A string with embedded `${{ }}` expressions, each replaced by its value as text. */
export function interpolate(text: string, ctx: ExpressionContext): string {
  return text.replace(EMBEDDED, (_, expr: string) => {
    const v = evaluate(expr, ctx);
    return v === null ? "" : String(v);
  });
}

/** A step's `if:`: without a status function it means `success() && (...)`, as on GitHub. */
export function stepCondition(condition: string | undefined, ctx: ExpressionContext): boolean {
  if (condition === undefined || condition.trim() === "") return !ctx.failed;
  const bare = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(condition)?.[1] ?? condition;
  const parser = new Parser(tokenize(bare), ctx, bare);
  const value = truthy(parser.parse());
  return parser.statusCalled ? value : !ctx.failed && value;
}
