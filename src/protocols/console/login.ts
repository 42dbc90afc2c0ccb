import { randomBytes } from "node:crypto";
import type { Services } from "../../app.js";
import type { Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import type { AuthMeta, RequestAuthenticator } from "../shared/auth.js";

export interface ConsoleLoginInput {
  identifier: string;
  password: string;
  /** TOTP or backup code, for accounts with a second factor. */
  code?: string | undefined;
  clientIp: string | null;
  requestId: string;
}

/**
 * How the console turns a login form into a session and a session cookie back into a Context.
 * The console depends on this and nothing else about logging in, so the way operators and
 * resellers prove who they are can change in one place (`consoleLoginFor` below).
 */
export interface ConsoleLogin {
  /** Which fields the login form shows. */
  readonly form: { identifierLabel: string; passwordLabel: string; code: boolean };
  /** Checks the credentials; returns the session token the cookie will carry. */
  login(input: ConsoleLoginInput): Promise<string>;
  authenticate(token: string, meta: AuthMeta): Promise<Context>;
  logout(token: string, meta: AuthMeta): Promise<void>;
}

interface KeySession {
  key: string;
  expiresAt: number;
  lastSeen: number;
}

/**
 * Interim login, until operator/reseller password logins land: the account signs in with one of
 * its API keys (login name "key"). The key is checked exactly as the API checks it — revocation,
 * expiry, IP allow list, rate limit — on the login and again on every request, so revoking the
 * key ends the console session at once. Sessions live in this process's memory (idle and
 * absolute expiry as configured); a restart logs everybody out.
 */
export function apiKeyConsoleLogin(auth: RequestAuthenticator, options: { idleSeconds: number; maxSeconds: number }): ConsoleLogin {
  const sessions = new Map<string, KeySession>();
  const sweep = () => {
    const now = Date.now();
    for (const [t, s] of sessions) if (s.expiresAt <= now || now - s.lastSeen > options.idleSeconds * 1000) sessions.delete(t);
  };
  return {
    form: { identifierLabel: "Login name", passwordLabel: "Password (an operator or reseller API key)", code: false },
    async login(input) {
      sweep();
      let ctx: Context;
      try {
        ctx = await auth.withApiKey(input.password, { clientIp: input.clientIp, requestId: input.requestId, protocol: "console" });
      } catch (error) {
        if (error instanceof AppError && error.code === "unauthenticated") throw new AppError("unauthenticated", "Invalid credentials");
        throw error;
      }
      if (ctx.principal.kind === "customer") throw new AppError("unauthenticated", "Invalid credentials");
      const token = randomBytes(32).toString("base64url");
      const now = Date.now();
      sessions.set(token, { key: input.password, expiresAt: now + options.maxSeconds * 1000, lastSeen: now });
      return token;
    },
    async authenticate(token, meta) {
      const s = sessions.get(token);
      const now = Date.now();
      if (!s || s.expiresAt <= now || now - s.lastSeen > options.idleSeconds * 1000) {
        sessions.delete(token);
        throw new AppError("unauthenticated", "The session is not valid; log in again");
      }
      s.lastSeen = now;
      try {
        return await auth.withApiKey(s.key, meta);
      } catch (error) {
        if (error instanceof AppError && error.code === "unauthenticated") sessions.delete(token);
        throw error;
      }
    },
    async logout(token) {
      sessions.delete(token);
    },
  };
}

/** What the console needs of operator/reseller password logins (branch openprovider: AccountCredentialService). */
export interface AccountLoginPort {
  login(input: { identifier: string; password: string; code?: string | undefined; clientIp: string | null; protocol: string; requestId: string }): Promise<{ token: string }>;
  logout(token: string, meta: { clientIp: string | null; protocol: string; requestId: string }): Promise<void>;
}

/**
 * The console over account password logins: the same argon2id passwords, failed-login budget,
 * lockout and TOTP (or backup code) as the API's account login, sessions stored in the
 * database (so every process recognises them) and ended by logout.
 */
export function accountConsoleLogin(accounts: AccountLoginPort, auth: { withAccountSession(token: string, meta: AuthMeta): Promise<Context> }): ConsoleLogin {
  return {
    form: { identifierLabel: "Login name", passwordLabel: "Password", code: true },
    async login(input) {
      const session = await accounts.login({ ...input, protocol: "console" });
      return session.token;
    },
    authenticate: (token, meta) => auth.withAccountSession(token, meta),
    logout: (token, meta) => accounts.logout(token, meta),
  };
}

/**
 * THE switch: which login the console uses. Once operator/reseller password logins (lockout,
 * TOTP) are on this branch, it becomes
 *   return accountConsoleLogin(services.accountLogins, services.requestAuth);
 * and test/console/helpers.ts `consoleCredentials` sets a login name and password instead of
 * issuing a key.
 */
export function consoleLoginFor(services: Pick<Services, "requestAuth">, options: { idleSeconds: number; maxSeconds: number }): ConsoleLogin {
  return apiKeyConsoleLogin(services.requestAuth, options);
}
