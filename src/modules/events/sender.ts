import http from "node:http";
import https from "node:https";
import ipaddr from "ipaddr.js";
import { isPublicAddress, type TargetPolicy } from "./targets.js";

export interface SendResult {
  statusCode: number | null;
  error: string | null;
}

const MAX_ERROR_LENGTH = 300;
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs signed bodies to webhook targets: keep-alive agents, a timeout, no redirects, and the
 * target policy applied to the address actually connected to.
 */
export class WebhookSender {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    private readonly targets: TargetPolicy,
    private readonly timeoutMs: number,
  ) {}

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  post(rawUrl: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(rawUrl);
      } catch {
        resolve({ statusCode: null, error: "invalid URL" });
        return;
      }
      // A literal address skips the resolver, so it is checked here; names are checked at connect.
      const host = url.hostname.replace(/^\[|\]$/g, "");
      if (!this.targets.allowPrivate && (url.protocol !== "https:" || (ipaddr.isValid(host) && !isPublicAddress(host)))) {
        resolve({ statusCode: null, error: "refused: target is not a public https address" });
        return;
      }
      const lib = url.protocol === "https:" ? https : http;
      const req = lib.request(
        url,
        {
          method: "POST",
          headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
          agent: url.protocol === "https:" ? this.httpsAgent : this.httpAgent,
          lookup: this.targets.connectLookup as never,
          timeout: this.timeoutMs,
        },
        (res) => {
          // Only the status matters. A short body is drained so the socket can be reused; a
          // receiver that keeps streaming is cut off.
          let bytes = 0;
          const done = () => resolve({ statusCode: res.statusCode ?? null, error: null });
          res.on("data", (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > MAX_RESPONSE_BYTES) res.destroy();
          });
          res.on("end", done);
          res.on("close", done);
          res.on("error", done);
        },
      );
      // An absolute deadline as well as the idle timeout: a receiver trickling bytes is cut off too.
      const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on("close", () => clearTimeout(deadline));
      req.on("timeout", () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on("error", (err) => resolve({ statusCode: null, error: err.message.slice(0, MAX_ERROR_LENGTH) }));
      req.end(body);
    });
  }
}
