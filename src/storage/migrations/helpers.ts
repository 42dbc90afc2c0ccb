import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, sql } from "kysely";
import type { Dialect } from "../schema.js";

/** A migration written once for both dialects; `dialect` only chooses column spellings. */
export interface CustosMigration {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyTable = CreateTableBuilder<any, any>;

/** Auto-increment integer primary key. */
export function idColumn(table: AnyTable, dialect: Dialect, name = "id"): AnyTable {
  return dialect === "postgres"
    ? table.addColumn(name, "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn(name, "integer", (c) => c.primaryKey().autoIncrement());
}

/**
 * Text column. On PostgreSQL it uses the "C" collation: byte order like SQLite, so sorting and
 * keyset pagination agree across databases and prefix LIKE can use a plain btree index.
 */
export function text(
  dialect: Dialect,
  build: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder = (c) => c,
): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return (c) => build(dialect === "postgres" ? c.modifyEnd(sql`collate "C"`) : c);
}

export const intType = (dialect: Dialect) => (dialect === "postgres" ? "bigint" : "integer");
