import { createHash, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Services } from "../../app.js";
import type { Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import { parseOrThrow } from "../../core/validation.js";
import type { AuthMeta } from "../shared/auth.js";
import type { ConsoleLogin } from "./login.js";
import { consoleRoutes } from "./routes.js";

/** Built by `npm run build:web` (esbuild) from web/; never committed. */
const ASSETS = fileURLToPath(new URL("../../../dist/web/", import.meta.url));
const COOKIE = "custos_console";

/**
 * Strict headers for every console response: only our own script and style run (no inline code,
 * no eval), nothing may frame the page, and nothing is cached that holds customer data.
 */
const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "strict-transport-security": "max-age=31536000",
  "cache-control": "no-store",
};

/** The CSRF token of a session: derived from the session token, so no extra state and any process can check it. */
export function csrfTokenOf(sessionToken: string): string {
  return createHash("sha256").update(`custos-console-csrf:${sessionToken}`).digest("base64url");
}

function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const loginBody = z.strictObject({
  identifier: z.string().max(320).default(""),
  password: z.string().min(1, "is required").max(1024),
  code: z.string().max(32).optional(),
});
interface AssetSet {
  index: string;
  js: Buffer;
  css: Buffer;
}

function loadAssets(): AssetSet | undefined {
  const file = (name: string) => `${ASSETS}${name}`;
  if (!existsSync(file("index.html")) || !existsSync(file("console.js")) || !existsSync(file("console.css"))) return undefined;
  return { index: readFileSync(file("index.html"), "utf8"), js: readFileSync(file("console.js")), css: readFileSync(file("console.css")) };
}

/**
 * The operator console at /console: a small JSON API for the browser application (session
 * cookie + CSRF header), and the application's three static files. The API routes are the
 * table in routes.ts (one domain command each, run with the session's Context); this plugin
 * adds the session around them. Errors travel as the same problem documents as the REST API.
 */
export async function consolePlugin(app: FastifyInstance, options: { services: Services; login: ConsoleLogin }): Promise<void> {
  const { services, login } = options;
  const assets = loadAssets();

  app.addHook("onRequest", async (request, reply) => {
    if (request.url === "/console" || request.url.startsWith("/console/") || request.url.startsWith("/console?")) reply.headers(SECURITY_HEADERS);
  });

  const meta = (request: FastifyRequest): AuthMeta => ({ clientIp: request.ip, requestId: String(request.id), protocol: "console" });

  const setCookie = (request: FastifyRequest, reply: FastifyReply, value: string, maxAge: number) => {
    const secure = request.protocol === "https" ? "; Secure" : "";
    reply.header("set-cookie", `${COOKIE}=${encodeURIComponent(value)}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`);
  };

  /** Browsers send Origin on every cross-site write; anything but our own origin is refused. */
  const checkOrigin = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      host = "";
    }
    if (host !== request.headers.host) throw new AppError("forbidden", "Cross-site request refused");
  };

  /** The session's Context; writes must also carry the session's CSRF token. */
  const session = async (request: FastifyRequest): Promise<{ ctx: Context; token: string }> => {
    const token = readCookie(request, COOKIE);
    if (!token) throw new AppError("unauthenticated", "Log in first");
    if (request.method !== "GET" && request.method !== "HEAD") {
      checkOrigin(request);
      const given = request.headers["x-csrf-token"];
      if (typeof given !== "string" || !sameToken(given, csrfTokenOf(token))) throw new AppError("forbidden", "Missing or wrong CSRF token; reload the page");
    }
    return { ctx: await login.authenticate(token, meta(request)), token };
  };

  const me = (ctx: Context, token: string) => ({
    principal: { kind: ctx.principal.kind, id: ctx.principal.id, roles: ctx.principal.roles },
    csrf_token: csrfTokenOf(token),
  });

  // ---- session ---------------------------------------------------------------------------

  app.get("/console/api/login-form", async () => login.form);

  app.post("/console/api/session", async (request, reply) => {
    checkOrigin(request);
    const body = parseOrThrow(loginBody, request.body ?? {});
    const token = await login.login({ identifier: body.identifier, password: body.password, code: body.code, clientIp: request.ip, requestId: String(request.id) });
    const ctx = await login.authenticate(token, meta(request));
    setCookie(request, reply, token, 12 * 3600);
    return me(ctx, token);
  });

  app.get("/console/api/session", async (request) => {
    const { ctx, token } = await session(request);
    return me(ctx, token);
  });

  app.delete("/console/api/session", async (request, reply) => {
    const { token } = await session(request);
    await login.logout(token, meta(request));
    setCookie(request, reply, "", 0);
    reply.code(204).send();
  });

  // ---- the pages' API: one domain command (or service method) per route -------------------

  for (const route of consoleRoutes(services)) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        const { ctx } = await session(request);
        const out = await route.handler({ ctx, request });
        if (out === undefined) return reply.code(204).send();
        return out;
      },
    });
  }

  // ---- the application -------------------------------------------------------------------

  const sendIndex = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (!assets) {
      reply.code(503).type("text/plain; charset=utf-8").send("The console is not built: run `npm run build` (npm start does it).");
      return;
    }
    reply.type("text/html; charset=utf-8").send(assets.index);
  };
  app.get("/console/assets/console.js", async (_request, reply) => {
    if (!assets) return reply.code(404).send();
    reply.type("text/javascript; charset=utf-8").header("cache-control", "no-cache").send(assets.js);
  });
  app.get("/console/assets/console.css", async (_request, reply) => {
    if (!assets) return reply.code(404).send();
    reply.type("text/css; charset=utf-8").header("cache-control", "no-cache").send(assets.css);
  });
  app.get("/console", sendIndex);
  // Every other page is the same application; it reads the path and shows that page.
  app.get("/console/*", async (request, reply) => {
    if (request.url.startsWith("/console/api/")) throw new AppError("not_found", `No route for GET ${request.url.split("?")[0]}`);
    return sendIndex(request, reply);
  });
}
