import type { Context } from "../../core/context.js";
import type { ApiKeyAuthenticator } from "../../modules/auth/service.js";
import type { CredentialService } from "../../modules/credentials/service.js";
import { type RateLimiter, RateLimitExceeded, type RateState } from "../../modules/ratelimit/service.js";

export interface AuthMeta {
  clientIp: string | null;
  requestId: string;
  protocol: string;
  /** Called with the caller's rate-limit standing (also just before a 429), for protocols that report it. */
  onRate?: (state: RateState) => void;
}

/**
 * The one way every protocol turns a credential into a Context. Adapters decode their own
 * credential format (Bearer, Basic, signed headers, session cookie) and call this; the key's IP
 * allow list and the per-key rate limit are enforced here, so no protocol can skip them.
 */
export class RequestAuthenticator {
  constructor(
    private readonly apiKeys: ApiKeyAuthenticator,
    private readonly sessions: Pick<CredentialService, "authenticateSession">,
    private readonly limiter?: RateLimiter,
  ) {}

  async withApiKey(token: string, meta: AuthMeta): Promise<Context> {
    const principal = await this.apiKeys.authenticate(token, meta.clientIp);
    await this.limit(principal.keyId !== null ? `key:${principal.keyId}` : `${principal.kind}:${principal.id}`, meta);
    return { principal, requestId: meta.requestId, clientIp: meta.clientIp, protocol: meta.protocol };
  }

  /** Basic auth: a user name and one of its API keys (Everlytic). */
  async withNamedApiKey(username: string, token: string, meta: AuthMeta): Promise<Context> {
    const principal = await this.apiKeys.authenticateNamed(username, token, meta.clientIp);
    await this.limit(principal.keyId !== null ? `key:${principal.keyId}` : `${principal.kind}:${principal.id}`, meta);
    return { principal, requestId: meta.requestId, clientIp: meta.clientIp, protocol: meta.protocol };
  }

  /** Counts one request against the subject's limit; throws rate_limited past it. */
  private async limit(subject: string, meta: AuthMeta): Promise<void> {
    if (!this.limiter) return;
    try {
      const state = await this.limiter.hit(subject);
      if (state.limit > 0) meta.onRate?.(state);
    } catch (error) {
      if (error instanceof RateLimitExceeded) meta.onRate?.(error.state);
      throw error;
    }
  }

  /** Session tokens start with "cs_" (API keys with "ck_"), so adapters can tell them apart. */
  static isSessionToken(token: string): boolean {
    return token.startsWith("cs_") || token.startsWith("cp_");
  }

  async withSession(token: string, meta: AuthMeta): Promise<Context> {
    const principal = await this.sessions.authenticateSession(token);
    // A customer's sessions share one budget, as one key's requests do.
    await this.limit(`customer:${principal.id}`, meta);
    return { principal, requestId: meta.requestId, clientIp: meta.clientIp, protocol: meta.protocol };
  }
}
