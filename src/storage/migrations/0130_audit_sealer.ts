import { sql } from "kysely";
import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

/**
 * Audit entries are written unsealed (no link, no hash, no position) by the mutations and chained
 * shortly after commit by one sealer at a time, so writers no longer lock a shared chain head
 * (issue 16). `seq` is an entry's place in the chain (null: not sealed yet); existing entries
 * were chained in id order, so their place is their id. The sealer also numbers events in commit
 * order (`position`), which the event feed pages by. Checkpoints are signed chain heads an
 * operator can export and keep elsewhere.
 */
export const m0130AuditSealer: CustosMigration = {
  name: "0130_audit_sealer",
  async up(db, dialect) {
    const int = intType(dialect);
    await db.schema.alterTable("audit_log").addColumn("seq", int).execute();
    await sql`update audit_log set seq = id`.execute(db);
    await db.schema.createIndex("ux_audit_seq").on("audit_log").column("seq").unique().execute();
    await db.schema.createIndex("ix_audit_unsealed").on("audit_log").column("id").where(sql.ref("seq"), "is", null).execute();

    await db.schema.alterTable("audit_chain").addColumn("last_seq", int, (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable("audit_chain").addColumn("events_position", int, (c) => c.notNull().defaultTo(0)).execute();
    await sql`update audit_chain set last_seq = coalesce((select max(id) from audit_log), 0), events_position = coalesce((select max(id) from events), 0)`.execute(db);

    await db.schema.alterTable("events").addColumn("position", int).execute();
    await sql`update events set position = id`.execute(db);
    await db.schema.createIndex("ux_events_position").on("events").column("position").unique().execute();
    await db.schema.createIndex("ix_events_unpositioned").on("events").column("id").where(sql.ref("position"), "is", null).execute();

    await idColumn(db.schema.createTable("audit_checkpoints"), dialect)
      .addColumn("seq", int, (c) => c.notNull())
      .addColumn("entry_count", int, (c) => c.notNull())
      .addColumn("hash", "text", text(dialect, (c) => c.notNull()))
      .addColumn("at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("public_key", "text", text(dialect))
      .addColumn("signature", "text", text(dialect))
      .execute();
  },
};
