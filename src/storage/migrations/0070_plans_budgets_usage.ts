import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

/**
 * Hosting plans (named sets of resource limits), reseller resource budgets (a limit and the amount
 * already handed to customers, per resource) and usage samples reported by provisioning systems,
 * with the latest sample per customer and resource kept apart so reads stay one lookup.
 */
export const m0070PlansBudgetsUsage: CustosMigration = {
  name: "0070_plans_budgets_usage",
  async up(db, dialect) {
    const int = intType(dialect);
    const real = dialect === "postgres" ? "double precision" : "real";
    await idColumn(db.schema.createTable("hosting_plans"), dialect)
      .addColumn("owner_id", int, (c) => c.notNull().references("accounts.id"))
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("description", "text", text(dialect, (c) => c.notNull().defaultTo("")))
      .addColumn("resources", "text", text(dialect, (c) => c.notNull()))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("version", int, (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex("ux_hosting_plans__name").on("hosting_plans").columns(["owner_id", "name"]).unique().execute();

    await db.schema
      .createTable("reseller_budgets")
      .addColumn("account_id", int, (c) => c.notNull().references("accounts.id"))
      .addColumn("resource", "text", text(dialect, (c) => c.notNull()))
      .addColumn("quota", int, (c) => c.notNull())
      .addColumn("used", int, (c) => c.notNull().defaultTo(0))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .addPrimaryKeyConstraint("pk_reseller_budgets", ["account_id", "resource"])
      .execute();

    await idColumn(db.schema.createTable("usage_samples"), dialect)
      .addColumn("customer_id", int, (c) => c.notNull())
      .addColumn("resource", "text", text(dialect, (c) => c.notNull()))
      .addColumn("sampled_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("value", real, (c) => c.notNull())
      .addColumn("received_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ux_usage_samples__sampled_at").on("usage_samples").columns(["customer_id", "resource", "sampled_at"]).unique().execute();

    await db.schema
      .createTable("usage_current")
      .addColumn("customer_id", int, (c) => c.notNull())
      .addColumn("resource", "text", text(dialect, (c) => c.notNull()))
      .addColumn("sampled_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("value", real, (c) => c.notNull())
      .addPrimaryKeyConstraint("pk_usage_current", ["customer_id", "resource"])
      .execute();
  },
};
