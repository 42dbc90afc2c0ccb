import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { sql } from "kysely";
import { openStorage, type Storage } from "../../src/storage/db.js";
import { migrateStepwise, migrateToLatest } from "../../src/storage/migrate.js";
import { MIGRATIONS } from "../../src/storage/migrations/index.js";
import { createTestDatabase, forEachDialect } from "../helpers/harness.js";

/** Everything that makes up the schema, in a stable order. */
async function schemaOf(storage: Storage): Promise<unknown[]> {
  if (storage.dialect === "sqlite") {
    const r = await sql<{ type: string; name: string; sql: string | null }>`select type, name, sql from sqlite_master where name not like 'sqlite_%' order by type, name`.execute(storage.db);
    return r.rows;
  }
  const cols = await sql`select table_name, column_name, data_type, is_nullable, column_default, collation_name from information_schema.columns where table_schema = current_schema() order by table_name, column_name`.execute(storage.db);
  const idx = await sql`select indexname, indexdef from pg_indexes where schemaname = current_schema() order by indexname`.execute(storage.db);
  const cons = await sql`select conname, pg_get_constraintdef(oid) as def from pg_constraint where connamespace = current_schema()::regnamespace order by conname`.execute(storage.db);
  return [cols.rows, idx.rows, cons.rows];
}

forEachDialect("migrations", (dialect) => {
  it("upgrading one migration at a time ends with exactly the schema of a fresh install", async () => {
    const a = await createTestDatabase(dialect);
    const b = await createTestDatabase(dialect);
    const stepwise = openStorage({ url: a.url, dataDir: a.dataDir });
    const fresh = openStorage({ url: b.url, dataDir: b.dataDir });
    try {
      const steps = await migrateStepwise(stepwise);
      assert.deepEqual(steps, MIGRATIONS.map((m) => m.name));
      await migrateToLatest(fresh);
      assert.deepEqual(await schemaOf(stepwise), await schemaOf(fresh));
      assert.deepEqual(await migrateToLatest(fresh), [], "a second run applies nothing");
    } finally {
      await stepwise.close();
      await fresh.close();
      await a.drop();
      await b.drop();
    }
  });
});

/**
 * Released migrations are immutable: a database that already ran one never runs it again, so
 * editing it would make old and new installs differ. Change the schema with a new file; when a
 * new migration is added, add its hash here.
 */
const RELEASED: Record<string, string> = JSON.parse(readFileSync(join(import.meta.dirname, "migration-hashes.json"), "utf8"));

it("leaves every released migration file unchanged", () => {
  const dir = join(import.meta.dirname, "../../src/storage/migrations");
  const files = readdirSync(dir).filter((f) => /^\d{4}_.*\.ts$/.test(f));
  for (const f of files) {
    const hash = createHash("sha256").update(readFileSync(join(dir, f))).digest("hex");
    assert.equal(RELEASED[f], hash, `${f} differs from its released form (or is new: add its hash to test/storage/migration-hashes.json)`);
  }
});
