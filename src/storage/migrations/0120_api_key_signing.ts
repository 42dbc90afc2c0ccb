import { type CustosMigration, intType, text } from "./helpers.js";

/**
 * Signed requests (Stackable's JSON proxy and Thrift): a key that signs has an HMAC secret the
 * server must be able to use, so it is stored sealed (AES-256-GCM under CUSTOS_SECRET_KEY), not
 * hashed. Seen signatures are kept until their timestamp leaves the accepted window, in the
 * database so every process on it refuses a replay.
 */
export const m0120ApiKeySigning: CustosMigration = {
  name: "0120_api_key_signing",
  async up(db, dialect) {
    const int = intType(dialect);
    await db.schema
      .createTable("api_key_signing_secrets")
      .addColumn("key_id", int, (c) => c.primaryKey().references("api_keys.id").onDelete("cascade"))
      .addColumn("sealed_secret", "text", text(dialect, (c) => c.notNull()))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema
      .createTable("signature_replays")
      .addColumn("digest", "text", text(dialect, (c) => c.primaryKey()))
      .addColumn("key_id", int, (c) => c.notNull())
      .addColumn("expires_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ix_signature_replays_expires").on("signature_replays").column("expires_at").execute();
  },
};
