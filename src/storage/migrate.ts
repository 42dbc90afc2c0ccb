import { type Migration, type MigrationProvider, Migrator } from "kysely";
import type { Storage } from "./db.js";
import { MIGRATIONS } from "./migrations/index.js";

class StaticProvider implements MigrationProvider {
  constructor(private readonly storage: Storage) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const m of MIGRATIONS) out[m.name] = { up: (db) => m.up(db, this.storage.dialect) };
    return out;
  }
}

/** Applies pending migrations; returns the names applied. Throws when one fails. */
export async function migrateToLatest(storage: Storage): Promise<string[]> {
  const migrator = new Migrator({ db: storage.db, provider: new StaticProvider(storage), migrationTableName: "custos_migrations", migrationLockTableName: "custos_migrations_lock" });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
