import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningConsole, startConsole } from "../../src/console/console-server.js";

/**
 * With a token configured (the only way the console may bind a non-loopback address), every
 * request must carry it: a Bearer header, or ?token= once and then the cookie it sets. Served on
 * 127.0.0.1 here so no traffic leaves the machine; the rule is the same on any address.
 */
describe("gameday console with a token", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "gameday-console-token-"));
  const token = "t0ken-for-this-test";
  let server: RunningConsole;

  beforeAll(async () => {
    server = await startConsole({ stateDir, host: "127.0.0.1", port: 0, token });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("refuses a request without the token or with a wrong one, and says how to pass it", async () => {
    const none = await fetch(`${server.url}/`);
    expect(none.status).toBe(401);
    expect(await none.text()).toContain("a valid token is required");
    const wrong = await fetch(`${server.url}/`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    const wrongQuery = await fetch(`${server.url}/?token=nope`);
    expect(wrongQuery.status).toBe(401);
  });

  it("serves a request with the Bearer token, and ?token= once sets a cookie that works after", async () => {
    const bearer = await fetch(`${server.url}/`, { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(200);
    const query = await fetch(`${server.url}/?token=${token}`);
    expect(query.status).toBe(200);
    const cookie = query.headers.get("set-cookie") ?? "";
    expect(cookie).toContain("gameday_token=");
    expect(cookie.toLowerCase()).toContain("httponly");
    const withCookie = await fetch(`${server.url}/`, { headers: { cookie: cookie.split(";")[0] ?? "" } });
    expect(withCookie.status).toBe(200);
  });
});
