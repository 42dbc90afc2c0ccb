import { createHash } from "node:crypto";
import type { Clock } from "../../core/clock.js";
import { AppError } from "../../core/errors.js";
import type { Storage } from "../../storage/db.js";

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

export interface IdempotentOutcome {
  replayed: boolean;
  response: StoredResponse;
}

export interface IdempotentRun {
  /** Runs the request; its writes join the unit of work that also stores the answer. */
  run(): Promise<StoredResponse>;
  /** A refusal (bad input, conflict...) as an answer to store, or null to store nothing. */
  refusal(error: unknown): StoredResponse | null;
  /** What may be stored of a successful answer: secrets replaced (see `redactSecrets`). */
  storable(response: StoredResponse): StoredResponse;
}

const RETENTION_MS = 24 * 60 * 60 * 1000;

/** Another request with the same key stored its answer first (thrown to undo this one's unit). */
class RanConcurrently extends Error {}
/** The value that stands for a secret in a replayed answer. */
export const REDACTED = "redacted:shown-once";

/**
 * Idempotency keys (Stripe's model): the first request with a key runs and its answer is stored;
 * the same key with the same request replays that answer; with a different request it is an
 * error.
 *
 * The request's own writes and its stored answer commit in ONE database transaction
 * (Storage.unitOfWork): a crash before the commit leaves nothing behind, so the retry runs the
 * request once; a crash after it leaves the answer, so the retry replays it. The answer's row is
 * written at the end of that transaction (no separate claim and completion): a concurrent
 * duplicate that got past the first look runs too, but its INSERT of the key finds the first
 * one's row (on PostgreSQL after waiting for its commit), so its writes are rolled back and the
 * first answer is replayed; the single writer of SQLite serialises them anyway. Stored answers never hold a secret: the caller passes them through
 * `storable`, and a replay of a secret-bearing answer carries the marker `REDACTED` instead
 * (the secret was shown once, to the first request).
 */
export class IdempotencyService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  static fingerprint(method: string, path: string, body: string): string {
    return createHash("sha256").update(`${method}\n${path}\n${body}`).digest("hex");
  }

  async execute(scope: string, key: string, fingerprint: string, request: IdempotentRun): Promise<IdempotentOutcome> {
    const stored = await this.lookup(scope, key, fingerprint);
    if (stored) return { replayed: true, response: stored };
    try {
      return await this.storage.unitOfWork(async () => {
        const response = await request.run();
        // The answer is stored by the request's own transaction, at its end: one INSERT. A
        // duplicate that ran at the same time and committed first holds the key; this run is
        // then undone and that answer replayed (on PostgreSQL the INSERT waits for it to commit).
        if (!(await this.insert(scope, key, fingerprint, "done", request.storable(response)))) throw new RanConcurrently();
        return { replayed: false, response };
      });
    } catch (error) {
      if (error instanceof RanConcurrently) {
        const now = await this.lookup(scope, key, fingerprint);
        if (now) return { replayed: true, response: now };
        throw new AppError("idempotency_key_in_use", "A request with this Idempotency-Key is still being processed");
      }
      const refusal = request.refusal(error);
      if (!refusal) throw error;
      // The request's writes rolled back with the unit; the refusal is the answer retries get.
      const saved = await this.insert(scope, key, fingerprint, "done", refusal);
      if (!saved) {
        const now = await this.lookup(scope, key, fingerprint);
        if (now) return { replayed: true, response: now };
      }
      return { replayed: false, response: refusal };
    }
  }

  /** The stored answer for this key, or undefined when none (or only an expired one) exists. */
  private async lookup(scope: string, key: string, fingerprint: string): Promise<StoredResponse | undefined> {
    const row = await this.storage.db.selectFrom("idempotency_keys").selectAll().where("scope", "=", scope).where("key", "=", key).executeTakeFirst();
    if (!row) return undefined;
    if (Date.parse(row.created_at) < this.clock.now().getTime() - RETENTION_MS || row.state !== "done" || row.status_code === null) {
      // Expired, or a "running" row left by a version that claimed outside the request's
      // transaction: neither holds an answer, so the key is free again.
      await this.storage.db.deleteFrom("idempotency_keys").where("scope", "=", scope).where("key", "=", key).where("created_at", "=", row.created_at).execute();
      return undefined;
    }
    if (row.request_hash !== fingerprint) {
      throw new AppError("idempotency_key_reused", "This Idempotency-Key was used with a different request", {
        issues: [{ field: "Idempotency-Key", code: "invalid_value", message: "was already used with another method, path or body" }],
      });
    }
    return { statusCode: row.status_code, body: row.response_body ?? "", headers: JSON.parse(row.response_headers ?? "{}") as Record<string, string> };
  }

  /** Inserts the key's row unless one exists (no error, so a PostgreSQL transaction stays usable). */
  private async insert(scope: string, key: string, fingerprint: string, state: "running" | "done", response: StoredResponse | null): Promise<boolean> {
    const r = await this.storage.db
      .insertInto("idempotency_keys")
      .values({
        scope,
        key,
        request_hash: fingerprint,
        state,
        status_code: response?.statusCode ?? null,
        response_body: response?.body ?? null,
        response_headers: response ? JSON.stringify(response.headers) : null,
        created_at: this.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.columns(["scope", "key"]).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Rows in the store (metrics). */
  async count(): Promise<number> {
    const r = await this.storage.db.selectFrom("idempotency_keys").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async purgeExpired(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - RETENTION_MS).toISOString();
    const r = await this.storage.db.deleteFrom("idempotency_keys").where("created_at", "<", cutoff).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

/**
 * Replaces the values of `fields` (top-level JSON members) by the REDACTED marker and drops
 * `headers`, so a stored answer holds no secret. Non-JSON bodies are stored empty.
 */
export function redactSecrets(response: StoredResponse, fields: readonly string[], headers: readonly string[] = []): StoredResponse {
  if (fields.length === 0 && headers.length === 0) return response;
  let body = response.body;
  if (body !== "" && fields.length > 0) {
    try {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      for (const f of fields) if (f in parsed) parsed[f] = REDACTED;
      body = JSON.stringify(parsed);
    } catch {
      body = "";
    }
  }
  const h: Record<string, string> = { ...response.headers };
  for (const name of headers) delete h[name];
  return { statusCode: response.statusCode, body, headers: { ...h, "idempotency-redacted": [...fields, ...headers].join(", ") } };
}
