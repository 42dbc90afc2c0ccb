import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  event: { id: string; type: string; tenant_id: number | null; customer_id: number | null; data: Record<string, any> };
  at: number;
}

/**
 * A real HTTP webhook receiver on a free local port. `answer` decides each reply (default 200);
 * `hold` keeps a request open without answering until released (to crash a sender mid-delivery).
 */
export class Receiver {
  readonly received: Received[] = [];
  answer: (r: Received, n: number) => number | "hold" = () => 200;
  private readonly held: (() => void)[] = [];
  private server: Server | undefined;
  url = "";

  async start(path = "/hook"): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const r: Received = { headers: req.headers, body, event: JSON.parse(body), at: Date.now() };
        this.received.push(r);
        const a = this.answer(r, this.received.length);
        if (a === "hold") {
          this.held.push(() => res.writeHead(200).end());
          return;
        }
        res.writeHead(a, { "content-type": "text/plain" }).end(a < 300 ? "ok" : "nope");
      });
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
    return this;
  }

  ofType(type: string): Received[] {
    return this.received.filter((r) => r.event.type === type);
  }

  /** Resolves once `predicate` holds, polling; fails after `ms`. */
  async until(predicate: () => boolean, what: string, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; received ${this.received.map((r) => r.event.type).join(", ")}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    for (const release of this.held.splice(0)) release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

export { type Mail, startSmtp } from "../helpers/smtp.js";

/** Settings that let tests deliver to loopback receivers quickly. */
export const FAST_EVENTS = { allowPrivateTargets: true, pollMs: 20, retryBaseMs: 60, leaseSeconds: 5 } as const;
