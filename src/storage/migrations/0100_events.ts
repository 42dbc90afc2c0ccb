import { sql } from "kysely";
import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

/**
 * The events outbox, webhook endpoints, their deliveries and the per-attempt delivery log.
 * Events are written in the transaction of the mutation they describe; the dispatcher fans them
 * out into deliveries and leases deliveries to one process at a time.
 */
export const m0100Events: CustosMigration = {
  name: "0100_events",
  async up(db, dialect) {
    const int = intType(dialect);
    await idColumn(db.schema.createTable("events"), dialect)
      .addColumn("type", "text", text(dialect, (c) => c.notNull()))
      .addColumn("object_type", "text", text(dialect, (c) => c.notNull()))
      .addColumn("object_id", "text", text(dialect, (c) => c.notNull()))
      .addColumn("customer_id", int)
      .addColumn("tenant_id", int)
      .addColumn("payload", "text", text(dialect, (c) => c.notNull()))
      .addColumn("request_id", "text", text(dialect, (c) => c.notNull()))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("dispatched_at", "text", text(dialect))
      .execute();
    // The dispatcher's queue: only events not yet fanned out are indexed.
    await db.schema.createIndex("ix_events_undispatched").on("events").column("id").where(sql.ref("dispatched_at"), "is", null).execute();
    await db.schema.createIndex("ix_events_tenant").on("events").columns(["tenant_id", "id"]).execute();
    await db.schema.createIndex("ix_events_customer").on("events").columns(["customer_id", "id"]).execute();
    await db.schema.createIndex("ix_events_type").on("events").columns(["type", "id"]).execute();

    await idColumn(db.schema.createTable("webhook_endpoints"), dialect)
      .addColumn("owner_kind", "text", text(dialect, (c) => c.notNull()))
      .addColumn("owner_id", int, (c) => c.notNull())
      .addColumn("url", "text", text(dialect, (c) => c.notNull()))
      .addColumn("description", "text", text(dialect, (c) => c.notNull().defaultTo("")))
      .addColumn("event_types", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status", "text", text(dialect, (c) => c.notNull()))
      .addColumn("disabled_reason", "text", text(dialect))
      .addColumn("secret_sealed", "text", text(dialect, (c) => c.notNull()))
      .addColumn("previous_secret_sealed", "text", text(dialect))
      .addColumn("previous_secret_expires_at", "text", text(dialect))
      .addColumn("failing_since", "text", text(dialect))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("version", int, (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex("ix_webhook_endpoints_owner").on("webhook_endpoints").columns(["owner_kind", "owner_id", "id"]).execute();

    await idColumn(db.schema.createTable("webhook_deliveries"), dialect)
      .addColumn("endpoint_id", int, (c) => c.notNull().references("webhook_endpoints.id").onDelete("cascade"))
      .addColumn("event_id", int, (c) => c.notNull().references("events.id").onDelete("cascade"))
      .addColumn("status", "text", text(dialect, (c) => c.notNull()))
      .addColumn("attempts", int, (c) => c.notNull().defaultTo(0))
      .addColumn("next_attempt_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("lease_owner", "text", text(dialect))
      .addColumn("lease_until", "text", text(dialect))
      .addColumn("last_status_code", int)
      .addColumn("last_error", "text", text(dialect))
      .addColumn("redelivery_of", int)
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("completed_at", "text", text(dialect))
      .execute();
    await db.schema.createIndex("ix_webhook_deliveries_due").on("webhook_deliveries").columns(["next_attempt_at", "id"]).where(sql.ref("status"), "=", "pending").execute();
    await db.schema.createIndex("ix_webhook_deliveries_endpoint").on("webhook_deliveries").columns(["endpoint_id", "id"]).execute();
    await db.schema.createIndex("ix_webhook_deliveries_event").on("webhook_deliveries").columns(["event_id"]).execute();

    await idColumn(db.schema.createTable("webhook_attempts"), dialect)
      .addColumn("delivery_id", int, (c) => c.notNull().references("webhook_deliveries.id").onDelete("cascade"))
      .addColumn("attempt", int, (c) => c.notNull())
      .addColumn("at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status_code", int)
      .addColumn("error", "text", text(dialect))
      .addColumn("latency_ms", int, (c) => c.notNull())
      .execute();
    await db.schema.createIndex("ix_webhook_attempts_delivery").on("webhook_attempts").columns(["delivery_id", "id"]).execute();
  },
};
