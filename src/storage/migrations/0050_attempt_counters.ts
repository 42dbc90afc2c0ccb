import { type CustosMigration, text } from "./helpers.js";

/**
 * Attempt budgets (logins per account and per address, PIN checks, password proofs): one row per
 * subject whose count is checked and raised by one conditional UPDATE, so parallel guesses cannot
 * all pass the check before any of them is counted (issue 10).
 */
export const m0050AttemptCounters: CustosMigration = {
  name: "0050_attempt_counters",
  async up(db, dialect) {
    await db.schema
      .createTable("attempt_counters")
      .addColumn("scope", "text", text(dialect, (c) => c.notNull()))
      .addColumn("subject", "text", text(dialect, (c) => c.notNull()))
      .addColumn("count", "integer", (c) => c.notNull())
      .addColumn("window_started", "text", text(dialect, (c) => c.notNull()))
      .addPrimaryKeyConstraint("pk_attempt_counters", ["scope", "subject"])
      .execute();
  },
};
