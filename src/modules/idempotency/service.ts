import { createHash } from "node:crypto";
import type { Clock } from "../../core/clock.js";
import { AppError } from "../../core/errors.js";
import type { Storage } from "../../storage/db.js";
import { translateDbError } from "../../storage/db-errors.js";

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  state: string;
  status_code: number | null;
  response_body: string | null;
  response_headers: string | null;
  created_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    idempotency_keys: IdempotencyKeysTable;
  }
}

export interface StoredResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
}

export type Claim = { kind: "new" } | { kind: "replay"; response: StoredResponse };

const RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Idempotency keys (Stripe's model): the first request with a key runs and its answer is stored;
 * the same key with the same request replays that answer; with a different request it is an
 * error; while the first is still running, a second gets a 409.
 */
export class IdempotencyService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  static fingerprint(method: string, path: string, body: string): string {
    return createHash("sha256").update(`${method}\n${path}\n${body}`).digest("hex");
  }

  async claim(scope: string, key: string, fingerprint: string): Promise<Claim> {
    const db = this.storage.db;
    const now = this.clock.now();
    try {
      await db
        .insertInto("idempotency_keys")
        .values({ scope, key, request_hash: fingerprint, state: "running", status_code: null, response_body: null, response_headers: null, created_at: now.toISOString() })
        .execute();
      return { kind: "new" };
    } catch (error) {
      const e = translateDbError(error);
      if (!(e instanceof AppError && e.code === "conflict")) throw e;
    }
    const row = await db.selectFrom("idempotency_keys").selectAll().where("scope", "=", scope).where("key", "=", key).executeTakeFirst();
    if (!row) return this.claim(scope, key, fingerprint);
    if (Date.parse(row.created_at) < now.getTime() - RETENTION_MS) {
      await this.release(scope, key);
      return this.claim(scope, key, fingerprint);
    }
    if (row.request_hash !== fingerprint) {
      throw new AppError("idempotency_key_reused", "This Idempotency-Key was used with a different request", {
        issues: [{ field: "Idempotency-Key", code: "invalid_value", message: "was already used with another method, path or body" }],
      });
    }
    if (row.state !== "done" || row.status_code === null) {
      throw new AppError("idempotency_key_in_use", "A request with this Idempotency-Key is still being processed");
    }
    return {
      kind: "replay",
      response: { statusCode: row.status_code, body: row.response_body ?? "", headers: JSON.parse(row.response_headers ?? "{}") as Record<string, string> },
    };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.storage.db
      .updateTable("idempotency_keys")
      .set({ state: "done", status_code: response.statusCode, response_body: response.body, response_headers: JSON.stringify(response.headers) })
      .where("scope", "=", scope)
      .where("key", "=", key)
      .execute();
  }

  /** Forget a key whose request failed on our side, so the client may retry it. */
  async release(scope: string, key: string): Promise<void> {
    await this.storage.db.deleteFrom("idempotency_keys").where("scope", "=", scope).where("key", "=", key).execute();
  }

  async purgeExpired(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - RETENTION_MS).toISOString();
    const r = await this.storage.db.deleteFrom("idempotency_keys").where("created_at", "<", cutoff).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
