import { type CustosMigration, intType, text } from "./helpers.js";

/**
 * One data key per customer for the audit log (crypto-shredding): the diffs of entries about a
 * customer are stored encrypted under its key and hashed as ciphertext, so erasing the customer
 * destroys the key and with it every personal value in the log, while the hash chain still
 * verifies (issue 10).
 */
export const m0051AuditSubjectKeys: CustosMigration = {
  name: "0051_audit_subject_keys",
  async up(db, dialect) {
    await db.schema
      .createTable("audit_subject_keys")
      .addColumn("customer_id", intType(dialect), (c) => c.primaryKey())
      .addColumn("data_key", "text", text(dialect, (c) => c.notNull()))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
  },
};
