import type { Compilable } from "kysely";
import { createCipheriv, createDecipheriv, createHash } from "node:crypto";
import { secureRandomBytes } from "../../core/ids.js";
import type { Executor } from "../../storage/db.js";
import { rowInsert } from "../../storage/row-insert.js";

export interface AuditSubjectKeysTable {
  customer_id: number;
  /** The customer's AES-256 key, wrapped under CUSTOS_SECRET_KEY (`w1:`) or, without one, `plain:`. */
  data_key: string;
  created_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    audit_subject_keys: AuditSubjectKeysTable;
  }
}

const seal = (key: Buffer, plain: Buffer): string => {
  const iv = secureRandomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return `${iv.toString("base64url")}.${c.getAuthTag().toString("base64url")}.${ct.toString("base64url")}`;
};

const open = (key: Buffer, sealed: string): Buffer => {
  const [iv, tag, ct] = sealed.split(".");
  if (!iv || !tag || ct === undefined) throw new Error("malformed sealed value");
  const d = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  d.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([d.update(Buffer.from(ct, "base64url")), d.final()]);
};

/** Customers per statement when keys are read or created in bulk (3 parameters per row). */
const KEY_BATCH = 5000;

/**
 * Per-customer keys for the personal content of audit entries (crypto-shredding). Destroying a
 * customer's key makes every diff about it unreadable, without touching the hash chain.
 */
export class AuditSubjectKeys {
  private readonly master: Buffer | null;

  constructor(secretKey: string | undefined) {
    this.master = secretKey ? createHash("sha256").update(`custos-audit:${secretKey}`).digest() : null;
  }

  /**
   * The customer's key, created on first use (in the caller's transaction). `likelyNew` (the
   * customer is being created) tries the insert first: one statement instead of a miss, an
   * insert and a re-read.
   */
  async keyFor(db: Executor, customerId: number, now: string, likelyNew = false): Promise<Buffer> {
    if (!likelyNew) {
      const found = (await this.load(db, [customerId])).get(customerId);
      if (found) return found;
    }
    const fresh = secureRandomBytes(32);
    const wrapped = this.wrap(fresh);
    const inserted = await db
      .insertInto("audit_subject_keys")
      .values({ customer_id: customerId, data_key: wrapped, created_at: now })
      .onConflict((oc) => oc.column("customer_id").doNothing())
      .returning("customer_id")
      .executeTakeFirst();
    if (inserted) return fresh;
    return (await this.load(db, [customerId])).get(customerId) ?? fresh;
  }

  /** A fresh key for a customer created in this transaction, and the INSERT that stores it (run by the caller). */
  newKey(db: Executor, customerId: number, now: string): { key: Buffer; insert: Compilable } {
    const key = secureRandomBytes(32);
    return { key, insert: rowInsert(db, "audit_subject_keys", { customer_id: customerId, data_key: this.wrap(key), created_at: now }) };
  }

  /**
   * Keys for many customers at once (bulk import): existing ones are loaded, missing ones created
   * in multi-row inserts, so a batch costs a few statements rather than one or two per customer.
   */
  async keysFor(db: Executor, customerIds: readonly number[], now: string): Promise<Map<number, Buffer>> {
    const ids = [...new Set(customerIds)];
    const out = new Map<number, Buffer>();
    for (let i = 0; i < ids.length; i += KEY_BATCH) {
      const chunk = ids.slice(i, i + KEY_BATCH);
      const found = await this.load(db, chunk);
      const missing = chunk.filter((id) => !found.has(id));
      for (const [id, key] of found) out.set(id, key);
      if (missing.length === 0) continue;
      const fresh = new Map(missing.map((id) => [id, secureRandomBytes(32)] as const));
      await db
        .insertInto("audit_subject_keys")
        .values(missing.map((id) => ({ customer_id: id, data_key: this.wrap(fresh.get(id) as Buffer), created_at: now })))
        .onConflict((oc) => oc.column("customer_id").doNothing())
        .execute();
      // A key another writer created first wins; read back whatever is stored now.
      const stored = await this.load(db, missing);
      for (const id of missing) out.set(id, stored.get(id) ?? (fresh.get(id) as Buffer));
    }
    return out;
  }

  private wrap(key: Buffer): string {
    return this.master ? `w1:${seal(this.master, key)}` : `plain:${key.toString("base64url")}`;
  }

  /** The keys that still exist for these customers (erased ones are absent). */
  async load(db: Executor, customerIds: readonly number[]): Promise<Map<number, Buffer>> {
    const out = new Map<number, Buffer>();
    const ids = [...new Set(customerIds)];
    if (ids.length === 0) return out;
    const rows = await db.selectFrom("audit_subject_keys").selectAll().where("customer_id", "in", ids).execute();
    for (const r of rows) {
      try {
        if (r.data_key.startsWith("plain:")) out.set(Number(r.customer_id), Buffer.from(r.data_key.slice(6), "base64url"));
        else if (r.data_key.startsWith("w1:") && this.master) out.set(Number(r.customer_id), open(this.master, r.data_key.slice(3)));
      } catch {
        // A key wrapped under another CUSTOS_SECRET_KEY reads as erased rather than failing the page.
      }
    }
    return out;
  }

  /** Erasure: the customer's audit content becomes unreadable for good. */
  async destroy(db: Executor, customerId: number): Promise<void> {
    await db.deleteFrom("audit_subject_keys").where("customer_id", "=", customerId).execute();
  }

  static seal(key: Buffer, text: string): string {
    return seal(key, Buffer.from(text, "utf8"));
  }

  static open(key: Buffer, sealed: string): string {
    return open(key, sealed).toString("utf8");
  }
}
