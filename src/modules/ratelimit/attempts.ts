import { sql } from "kysely";
import type { Executor } from "../../storage/db.js";

export interface AttemptCountersTable {
  scope: string;
  subject: string;
  count: number;
  window_started: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    attempt_counters: AttemptCountersTable;
  }
}

/** What a budget counts: login attempts per account or address, PIN checks, password proofs... */
export type AttemptScope = "login-account" | "login-ip" | "pin" | "export";

export type Reservation = { ok: true; count: number } | { ok: false; retryAfter: number };

/**
 * Fixed-window attempt budgets kept in the database, shared by every process. `reserve` checks
 * and counts in ONE conditional UPDATE: of any number of parallel attempts at most `limit` get
 * through per window, whatever the interleaving (PostgreSQL row lock, SQLite single writer).
 */
export class AttemptCounters {
  constructor(private readonly db: Executor) {}

  async reserve(scope: AttemptScope, subject: string, limit: number, windowSeconds: number, now: Date): Promise<Reservation> {
    const at = now.toISOString();
    const cutoff = new Date(now.getTime() - windowSeconds * 1000).toISOString();
    await this.db.insertInto("attempt_counters").values({ scope, subject, count: 0, window_started: at }).onConflict((oc) => oc.columns(["scope", "subject"]).doNothing()).execute();
    const row = await this.db
      .updateTable("attempt_counters")
      .set({
        count: sql<number>`case when window_started <= ${cutoff} then 1 else count + 1 end`,
        window_started: sql<string>`case when window_started <= ${cutoff} then ${at} else window_started end`,
      })
      .where("scope", "=", scope)
      .where("subject", "=", subject)
      .where((eb) => eb.or([eb("window_started", "<=", cutoff), eb("count", "<", limit)]))
      .returning("count")
      .executeTakeFirst();
    if (row) return { ok: true, count: Number(row.count) };
    const current = await this.db.selectFrom("attempt_counters").select("window_started").where("scope", "=", scope).where("subject", "=", subject).executeTakeFirst();
    const ends = current ? Date.parse(current.window_started) + windowSeconds * 1000 : now.getTime();
    return { ok: false, retryAfter: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)) };
  }

  /** Gives one reserved attempt back (it turned out to be a success that must not count). */
  async refund(scope: AttemptScope, subject: string): Promise<void> {
    await this.db
      .updateTable("attempt_counters")
      .set({ count: sql<number>`count - 1` })
      .where("scope", "=", scope)
      .where("subject", "=", subject)
      .where("count", ">", 0)
      .execute();
  }

  async reset(scope: AttemptScope, subject: string): Promise<void> {
    await this.db.deleteFrom("attempt_counters").where("scope", "=", scope).where("subject", "=", subject).execute();
  }
}
