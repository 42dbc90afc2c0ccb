import type { SubjectCredentialOptions } from "./subject.js";

export interface CredentialOptions extends SubjectCredentialOptions {
  /** A session unused this long ends. */
  sessionIdleSeconds: number;
  /** A session ends this long after login, used or not. */
  sessionAbsoluteSeconds: number;
  /** Failed logins per account within the window that lock it. */
  lockoutThreshold: number;
  lockoutWindowSeconds: number;
  /**
   * Login attempts per client address within `ipWindowSeconds` (successes are given back); past
   * it the address is refused before any password is hashed. Short, so a shared address that
   * an attacker burns recovers quickly.
   */
  ipThreshold: number;
  ipWindowSeconds: number;
  /** How long an e-mail confirmation token stays valid. */
  emailTokenSeconds: number;
  /** CUSTOS_SECRET_KEY: encrypts TOTP secrets at rest when set. */
  secretKey: string | undefined;
  totpIssuer: string;
  /**
   * Protocols (the request context's `protocol`) whose customer login sessions are API access, as
   * those protocols declare (the composition root passes them): api_allowed=false refuses their
   * logins and ends their open sessions, like API keys. Other sessions are the customer's own
   * sign-in and stay allowed, so it can still manage its account.
   */
  apiSessionProtocols: ReadonlySet<string>;
}

export const DEFAULT_CREDENTIAL_OPTIONS: CredentialOptions = {
  sessionIdleSeconds: 3600,
  sessionAbsoluteSeconds: 12 * 3600,
  lockoutThreshold: 5,
  lockoutWindowSeconds: 900,
  ipThreshold: 30,
  ipWindowSeconds: 60,
  emailTokenSeconds: 24 * 3600,
  secretKey: undefined,
  totpIssuer: "Custos",
  apiSessionProtocols: new Set(),
};
