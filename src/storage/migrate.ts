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

function migrator(storage: Storage): Migrator {
  return new Migrator({ db: storage.db, provider: new StaticProvider(storage), migrationTableName: "custos_migrations", migrationLockTableName: "custos_migrations_lock" });
}

/** Applies pending migrations; returns the names applied. Throws when one fails. */
export async function migrateToLatest(storage: Storage): Promise<string[]> {
  const { error, results } = await migrator(storage).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/**
 * Applies one pending migration at a time, as a database that was upgraded release by release
 * saw them; returns the names in order. Used to prove that path ends where a fresh install does.
 */
export async function migrateStepwise(storage: Storage): Promise<string[]> {
  const applied: string[] = [];
  for (;;) {
    const { error, results } = await migrator(storage).migrateUp();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    const done = (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
    if (done.length === 0) return applied;
    applied.push(...done);
  }
}
