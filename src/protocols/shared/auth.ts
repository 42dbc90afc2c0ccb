import type { Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import type { ApiKeyAuthenticator } from "../../modules/auth/service.js";
import type { CredentialService } from "../../modules/credentials/service.js";
import type { RequestSigning, SignedRequest } from "../../modules/auth/signing.js";
import { AccountCredentialService } from "../../modules/credentials/accounts.js";
import { type RateLimiter, RateLimitExceeded, type RateState } from "../../modules/ratelimit/service.js";

export interface AuthMeta {
  clientIp: string | null;
  requestId: string;
  protocol: string;
  /** Called with the caller's rate-limit standing (also just before a 429), for protocols that report it. */
  onRate?: (state: RateState) => void;
}

type CountingNow = RateLimiter & Required<Pick<RateLimiter, "hitNow">>;
/** Without a limiter the hot path has nothing to count; with one, it must count without a promise. */
const counts = (limiter: RateLimiter | undefined): limiter is CountingNow => limiter?.hitNow !== undefined;

/**
 * The one way every protocol turns a credential into a Context. Adapters decode their own
 * credential format (Bearer, Basic, signed headers, session cookie) and call this; the key's IP
 * allow list and the per-key rate limit are enforced here, so no protocol can skip them.
 */
export class RequestAuthenticator {
  /** Addresses refused until the given time (ms) after too many bad credentials, in this process. */
  private readonly blocked = new Map<string, number>();

  constructor(
    private readonly apiKeys: ApiKeyAuthenticator,
    private readonly sessions: Pick<CredentialService, "authenticateSession">,
    private readonly limiter?: RateLimiter,
    /** Counts requests with unknown, revoked or expired credentials per client address. */
    private readonly failures?: RateLimiter,
    private readonly signing?: RequestSigning,
    private readonly accountSessions?: Pick<AccountCredentialService, "authenticate">,
    /** Told about every request a limit refuses (metrics). */
    private readonly onRefusal?: (limiter: "principal" | "bad_credentials") => void,
  ) {}

  /** A request signed with a key's HMAC secret (Stackable): the signature, then the key's own checks. */
  async withSignature(request: SignedRequest, meta: AuthMeta): Promise<Context> {
    if (!this.signing) throw new AppError("unauthenticated", "Signed requests are not accepted here");
    const signing = this.signing;
    const principal = await this.guarded(meta, async () => this.apiKeys.authenticateKeyId(await signing.verify(request), meta.clientIp));
    await this.limit(`${principal.kind}:${principal.id}`, meta);
    return { principal, requestId: meta.requestId, clientIp: meta.clientIp, protocol: meta.protocol };
  }

  async withApiKey(token: string, meta: AuthMeta): Promise<Context> {
    // Hot path: a key verified moments ago whose every check still passes, from a client address
    // not blocked for bad credentials, costs no database work and no promise chain.
    const cached = this.blockedUntil(meta.clientIp) === undefined ? this.apiKeys.cachedPrincipal(token, meta.clientIp) : undefined;
    if (cached !== undefined && counts(this.limiter)) {
      this.limitNow(this.limiter, `${cached.kind}:${cached.id}`, meta);
      return { principal: cached, requestId: meta.requestId, clientIp: meta.clientIp, protocol: meta.protocol };
    }
    const principal = cached ?? (await this.guarded(meta, () => this.apiKeys.authenticate(token, meta.clientIp)));
    // One budget per principal, shared by all its keys and sessions: more keys buy no more requests.
    await this.limit(`${principal.kind}:${principal.id}`, meta);
    return { principal, requestId: meta.requestId, clientIp: meta.clientIp, protocol: meta.protocol };
  }

  /** Basic auth: a user name and one of its API keys (Everlytic); the name must be the key's own principal's. */
  async withNamedApiKey(username: string, token: string, meta: AuthMeta): Promise<Context> {
    const principal = await this.guarded(meta, () => this.apiKeys.authenticateNamed(username, token, meta.clientIp));
    await this.limit(`${principal.kind}:${principal.id}`, meta);
    return { principal, requestId: meta.requestId, clientIp: meta.clientIp, protocol: meta.protocol };
  }

  /**
   * Runs an authentication; a bad credential counts against the client address, and an address
   * past its budget is refused before any lookup until its window ends.
   */
  private async guarded<T>(meta: AuthMeta, authenticate: () => Promise<T>): Promise<T> {
    const ip = meta.clientIp;
    const until = this.blockedUntil(ip);
    if (until !== undefined) {
      this.onRefusal?.("bad_credentials");
      throw new AppError("rate_limited", "Too many requests with bad credentials from this address; try again later", { retryAfter: Math.max(1, Math.ceil((until - Date.now()) / 1000)) });
    }
    try {
      return await authenticate();
    } catch (error) {
      if (ip && this.failures && error instanceof AppError && error.code === "unauthenticated") {
        try {
          await this.failures.hit(`authfail:${ip}`);
        } catch (limited) {
          if (limited instanceof RateLimitExceeded) {
            if (this.blocked.size > 10_000) this.blocked.clear();
            this.blocked.set(ip, Date.now() + limited.state.resetSeconds * 1000);
            this.onRefusal?.("bad_credentials");
            throw new AppError("rate_limited", "Too many requests with bad credentials from this address; try again later", { retryAfter: limited.state.resetSeconds });
          }
          throw limited;
        }
      }
      throw error;
    }
  }

  /** Until when (ms) `ip` is refused for too many bad credentials; undefined when it is not. */
  private blockedUntil(ip: string | null): number | undefined {
    if (!ip || !this.failures || this.blocked.size === 0) return undefined;
    const until = this.blocked.get(ip);
    if (until === undefined) return undefined;
    if (until > Date.now()) return until;
    this.blocked.delete(ip);
    return undefined;
  }

  /** Counts one request against the subject's limit; throws rate_limited past it. */
  private async limit(subject: string, meta: AuthMeta): Promise<void> {
    const limiter = this.limiter;
    if (!limiter) return;
    if (counts(limiter)) return this.limitNow(limiter, subject, meta);
    try {
      const state = await limiter.hit(subject);
      if (state.limit > 0) meta.onRate?.(state);
    } catch (error) {
      this.refusedBy(error, meta);
      throw error;
    }
  }

  private limitNow(limiter: CountingNow, subject: string, meta: AuthMeta): void {
    try {
      const state = limiter.hitNow(subject);
      if (state.limit > 0) meta.onRate?.(state);
    } catch (error) {
      this.refusedBy(error, meta);
      throw error;
    }
  }

  private refusedBy(error: unknown, meta: AuthMeta): void {
    if (error instanceof RateLimitExceeded) {
      meta.onRate?.(error.state);
      this.onRefusal?.("principal");
    }
  }

  /** Session tokens start with "cs_" (API keys with "ck_"), so adapters can tell them apart. */
  static isSessionToken(token: string): boolean {
    return token.startsWith("cs_") || token.startsWith("cp_");
  }

  async withSession(token: string, meta: AuthMeta): Promise<Context> {
    const principal = await this.guarded(meta, () => this.sessions.authenticateSession(token));
    // The customer's sessions and keys share one budget.
    await this.limit(`${principal.kind}:${principal.id}`, meta);
    return { principal, requestId: meta.requestId, clientIp: meta.clientIp, protocol: meta.protocol };
  }

  /** Operator and reseller login sessions are 32 lower-case hex digits. */
  static isAccountSessionToken(token: string): boolean {
    return AccountCredentialService.isSessionToken(token);
  }

  async withAccountSession(token: string, meta: AuthMeta): Promise<Context> {
    if (!this.accountSessions) throw new AppError("unauthenticated", "The session is not valid");
    const sessions = this.accountSessions;
    const principal = await this.guarded(meta, () => sessions.authenticate(token, meta.clientIp));
    await this.limit(`${principal.kind}:${principal.id}`, meta);
    return { principal, requestId: meta.requestId, clientIp: meta.clientIp, protocol: meta.protocol };
  }

  /** Any bearer value: an API key, a customer session or an account session, told apart by shape. */
  async withBearer(token: string, meta: AuthMeta): Promise<Context> {
    if (RequestAuthenticator.isSessionToken(token)) return this.withSession(token, meta);
    if (RequestAuthenticator.isAccountSessionToken(token)) return this.withAccountSession(token, meta);
    return this.withApiKey(token, meta);
  }
}
