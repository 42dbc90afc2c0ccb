import type { Context } from "../../core/context.js";
import type { ApiKeyAuthenticator } from "../../modules/auth/service.js";

/**
 * The one way every protocol turns a credential into a Context. Adapters decode their own
 * credential format (Bearer, Basic, signed headers, session cookie) and call this.
 */
export class RequestAuthenticator {
  constructor(private readonly apiKeys: ApiKeyAuthenticator) {}

  async withApiKey(token: string, meta: { clientIp: string | null; requestId: string; protocol: string }): Promise<Context> {
    const principal = await this.apiKeys.authenticate(token);
    return { principal, requestId: meta.requestId, clientIp: meta.clientIp, protocol: meta.protocol };
  }
}
