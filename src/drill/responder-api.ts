import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { GamedayError } from "../errors/gameday-error.js";
import { redact } from "../redact/redact.js";
import { DrillEndedError, DrillRequestError } from "./drill-errors.js";
import type { DrillSession } from "./drill-session.js";
import { playPage, playScript } from "./pages/play-page.js";

const MAX_BODY = 16 * 1024;

function bearer(c: Context): string | undefined {
  const h = c.req.header("authorization");
  return h?.startsWith("Bearer ") ? h.slice(7).trim() : undefined;
}

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.length > MAX_BODY) throw new DrillRequestError(`the body is above ${MAX_BODY} bytes`);
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new DrillRequestError("the body is not JSON");
  }
}

/** Every answer leaves through here: JSON, redacted, no-store. */
function send(c: Context, status: number, body: unknown) {
  return c.body(redact(JSON.stringify(body)), status as 200, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
}

/** `since` / `until`: epoch ms or an ISO time; undefined when absent or unreadable. */
function timeParam(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const ms = Number.isFinite(Number(text)) ? Number(text) : Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The drill view's page and script are the same for everyone and carry nothing of the drill: no
 * token is needed to load them (the page reads its token from the URL's #fragment, which no
 * request carries, so no server or proxy log has it) and every call they make needs one.
 */
const PAGE_HEADERS = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/**
 * The responders' HTTP API, served by the drill process on loopback. Every request carries a
 * responder's token (the organizer's only for /stop). Errors are {error, code} with 400, 403 or
 * 409; a refused request changes nothing. No route reads the scenario: what a responder gets is
 * DrillSession.view, their own actions and the services' logs.
 */
export function responderApp(session: DrillSession): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof GamedayError) {
      const status = (err as { status?: number }).status ?? 400;
      return send(c, status, { error: err.message, code: err.code });
    }
    return send(c, 500, { error: "internal error", code: "E_INTERNAL" });
  });
  const who = (c: Context) => session.responder(bearer(c));
  app.get("/play", async (c) =>
    c.body(await playPage(), 200, { ...PAGE_HEADERS, "content-type": "text/html; charset=utf-8" }),
  );
  app.get("/play.js", async (c) =>
    c.body(await playScript(), 200, {
      ...PAGE_HEADERS,
      "content-type": "text/javascript; charset=utf-8",
    }),
  );
  app.get("/view", (c) => send(c, 200, session.view(who(c))));
  app.post("/ack", (c) => send(c, 200, session.ack(who(c))));
  app.post("/notes", async (c) => {
    const r = who(c);
    return send(c, 200, session.note(r, await jsonBody(c)));
  });
  app.post("/mitigations", async (c) => {
    const r = who(c);
    return send(c, 200, await session.mitigate(r, await jsonBody(c)));
  });
  app.post("/answers", async (c) => {
    const r = who(c);
    return send(c, 200, session.answer(r, await jsonBody(c)));
  });
  app.get("/logs", (c) => {
    who(c);
    const q = (name: string) => c.req.query(name) || undefined;
    return send(
      c,
      200,
      session.logs({
        service: q("service"),
        level: q("level"),
        trace: q("trace"),
        since: timeParam(q("since")),
        until: timeParam(q("until")),
        text: q("q")?.slice(0, 200),
        limit: Number(c.req.query("limit") ?? 200) || 200,
      }),
    );
  });
  app.get("/trace/:id", (c) => {
    who(c);
    return send(c, 200, session.trace(c.req.param("id").slice(0, 100)));
  });
  app.post("/stop", (c) => {
    if (!session.isOrganizer(bearer(c)))
      return send(c, 403, { error: "only the organizer may stop the drill", code: "E_NOT_ORGANIZER" });
    if (session.ended) throw new DrillEndedError("the stop");
    session.stop("stopped by the organizer (gameday drill stop)");
    return send(c, 200, { stopping: true });
  });
  app.notFound((c) => send(c, 404, { error: "no such route", code: "E_NOT_FOUND" }));
  return app;
}

export interface ServedApi {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 only (port 0: any free port); the address goes into the drill's state folder. */
export async function serveResponderApi(session: DrillSession, port = 0): Promise<ServedApi> {
  const app = responderApp(session);
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: async () => {
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
