import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { z } from "zod";
import { applyRequestSchema, CONTROL_MAX_BODY_BYTES, FAULT_ID_PATTERN } from "./app-fault-contract.js";
import { AppFaultError, type AppFaultRuntime } from "./app-fault-runtime.js";

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** The token from its file (a trailing newline dropped); the value is never logged. */
export function readControlToken(file: string): string {
  const token = readFileSync(file, "utf8").replace(/\r?\n$/, "");
  if (token.length < 16) throw new Error(`the control token in ${file} is shorter than 16 characters`);
  return token;
}

/** Compares digests, so neither the length nor the content leaks through timing. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? "")?.[1];
  if (given === undefined) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > CONTROL_MAX_BODY_BYTES)
    throw new HttpError(413, `body over ${CONTROL_MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > CONTROL_MAX_BODY_BYTES) throw new HttpError(413, `body over ${CONTROL_MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
}

function issuesText(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
    .join("; ");
}

/** /faults or /faults/<id>; anything else is a 404. */
function route(url: string): { id?: string } {
  const path = new URL(url, "http://localhost").pathname;
  if (path === "/faults") return {};
  const m = /^\/faults\/([^/]+)$/.exec(path);
  if (!m) throw new HttpError(404, `no route ${path.slice(0, 100)}`);
  const id = decodeURIComponent(m[1] as string);
  if (!FAULT_ID_PATTERN.test(id))
    throw new HttpError(400, "id: expected letters, digits, . _ @ - (at most 200)");
  return { id };
}

/**
 * The app-fault control endpoint: 127.0.0.1 only, every request with `Authorization: Bearer
 * <token>`. GET /faults, PUT /faults/<id> (apply), DELETE /faults/<id> (revert); see the table in
 * sandbox-services/README.md.
 */
export function startControlServer(
  port: number,
  token: string,
  runtime: AppFaultRuntime,
  log: (line: Record<string, unknown>) => void,
): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!tokenMatches(req.headers.authorization, token))
      throw new HttpError(401, "missing or wrong bearer token");
    const { id } = route(req.url ?? "/");
    if (id === undefined) {
      if (req.method !== "GET") throw new HttpError(405, "only GET on /faults");
      return send(res, 200, runtime.list());
    }
    if (req.method === "PUT") {
      const parsed = applyRequestSchema.safeParse(await readBody(req));
      if (!parsed.success) throw new HttpError(400, issuesText(parsed.error));
      const { created, fault } = runtime.apply(id, parsed.data);
      if (created) log({ event: "app_fault_applied", fault_id: id, kind: fault.kind, owner: fault.owner });
      return send(res, created ? 201 : 200, { fault, state: runtime.state() });
    }
    if (req.method === "DELETE") {
      const fault = runtime.revert(id);
      log({ event: "app_fault_reverted", fault_id: id, kind: fault.kind, owner: fault.owner });
      return send(res, 200, { reverted: fault, state: runtime.state() });
    }
    throw new HttpError(405, "only PUT or DELETE on /faults/<id>");
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError || err instanceof AppFaultError ? err.status : 500;
      if (status === 500) log({ event: "control_error", error: String(err) });
      if (!res.headersSent) send(res, status, { error: err instanceof Error ? err.message : String(err) });
      // A refused body may still be arriving: stop reading it rather than buffer it.
      if (status === 413) req.destroy();
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.on("error", (err) => {
    console.error(`control endpoint on 127.0.0.1:${port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(port, "127.0.0.1");
  return server;
}
