import type { Services } from "../../app.js";
import type { Context } from "../../core/context.js";
import type { AuthMeta } from "../shared/auth.js";

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
 * The console depends on this and nothing else about logging in (`consoleLoginFor` below says
 * which login it uses).
 */
export interface ConsoleLogin {
  /** Which fields the login form shows. */
  readonly form: { identifierLabel: string; passwordLabel: string; code: boolean };
  /** Checks the credentials; returns the session token the cookie will carry. */
  login(input: ConsoleLoginInput): Promise<string>;
  authenticate(token: string, meta: AuthMeta): Promise<Context>;
  logout(token: string, meta: AuthMeta): Promise<void>;
}

/** What the console needs of operator/reseller password logins (AccountCredentialService). */
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

/** The console's login: operator and reseller accounts with their login name and password. */
export function consoleLoginFor(services: Pick<Services, "accountLogins" | "requestAuth">): ConsoleLogin {
  return accountConsoleLogin(services.accountLogins, services.requestAuth);
}
