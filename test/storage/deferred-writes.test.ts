import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { sql } from "kysely";
import { openStorage, type Storage } from "../../src/storage/db.js";
import { migrateToLatest } from "../../src/storage/migrate.js";
import { insertAll, rowInsert } from "../../src/storage/row-insert.js";
import type { Tables } from "../../src/storage/schema.js";
import { createTestDatabase, forEachDialect, type TestDatabase } from "../helpers/harness.js";

/**
 * Issue 16: on PostgreSQL a transaction's BEGIN waits for its first statement, and the writes
 * nobody reads (insertAll: audit entries, events) are not waited for but travel with the next
 * statement, usually the COMMIT. Fewer round trips must not change what a transaction means:
 * a failed deferred write still fails the transaction and keeps nothing, on both databases.
 */
forEachDialect("Deferred writes", (dialect) => {
  let tdb: TestDatabase;
  let storage: Storage;
  let other: Storage;
  // A table outside the schema's types, written the way the audit writes its rows.
  const table = "dw_probe" as keyof Tables & string;
  const row = (id: number, v: string) => rowInsert(storage.db, table, { id, v });
  before(async () => {
    tdb = await createTestDatabase(dialect);
    storage = openStorage({ url: tdb.url, dataDir: tdb.dataDir });
    await migrateToLatest(storage);
    await sql`create table dw_probe (id integer primary key, v text not null unique)`.execute(storage.db);
    other = openStorage({ url: tdb.url, dataDir: tdb.dataDir });
  });
  after(async () => {
    await other.close();
    await storage.close();
    await tdb.drop();
  });

  const ids = async () => (await sql<{ id: number }>`select id from dw_probe order by id`.execute(other.db)).rows.map((r) => Number(r.id));
  const trips = () => storage.stats().roundTrips;

  it("a deferred write is committed with the transaction, in as few round trips as the statements allow", async () => {
    const start = trips();
    await storage.transaction(async (trx) => {
      await sql`select 1 as one`.execute(trx);
      await insertAll(trx, [row(1, "a"), row(2, "b")]);
    });
    assert.deepEqual(await ids(), [1, 2]);
    // PostgreSQL: BEGIN with the select, the deferred insert with the COMMIT. SQLite: four statements.
    assert.equal(trips() - start, dialect === "postgres" ? 2 : 5);
  });

  it("a transaction that sends nothing costs nothing", async () => {
    const start = trips();
    assert.equal(await storage.transaction(async () => 7), 7);
    if (dialect === "postgres") assert.equal(trips() - start, 0);
  });

  it("a deferred write that fails fails the transaction, and nothing of it is kept", async () => {
    await assert.rejects(
      storage.transaction(async (trx) => {
        await sql`insert into dw_probe (id, v) values (3, 'c')`.execute(trx);
        await insertAll(trx, [row(4, "a")]); // "a" is taken: unique violation
      }),
      (error: Error & { code?: string }) => {
        assert.match(String(error.code ?? error.message), /23505|UNIQUE|unique/);
        return true;
      },
    );
    assert.deepEqual(await ids(), [1, 2]);
  });

  it("a statement after a failed deferred write reports the deferred write's error, not the aborted transaction", async () => {
    await assert.rejects(
      storage.transaction(async (trx) => {
        await insertAll(trx, [row(5, "b")]);
        await sql`select 1 as one`.execute(trx);
      }),
      (error: Error & { code?: string }) => {
        assert.doesNotMatch(error.message, /current transaction is aborted/);
        assert.match(String(error.code ?? error.message), /23505|UNIQUE|unique/);
        return true;
      },
    );
    assert.deepEqual(await ids(), [1, 2]);
  });

  it("a failed deferred write inside a savepoint undoes only that savepoint", async () => {
    await storage.transaction(async (trx) => {
      await sql`insert into dw_probe (id, v) values (6, 'f')`.execute(trx);
      await assert.rejects(storage.transaction(async (inner) => insertAll(inner, [row(7, "a")]), { savepoint: true }));
      await insertAll(trx, [row(8, "h")]);
    });
    assert.deepEqual(await ids(), [1, 2, 6, 8]);
  });

  it("outside a transaction a deferred write is applied before it returns", async () => {
    await insertAll(storage.db, [row(9, "i")]);
    assert.deepEqual(await ids(), [1, 2, 6, 8, 9]);
  });

  it("concurrent transactions on the pool keep their own deferred writes apart", async () => {
    const results = await Promise.allSettled(
      [10, 11, 12, 13, 14, 15].map((id) =>
        storage.transaction(async (trx) => {
          await sql`select ${id} as id`.execute(trx);
          await insertAll(trx, [row(id, id === 13 ? "a" : `v${id}`)]);
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ["fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"],
    );
    assert.deepEqual(await ids(), [1, 2, 6, 8, 9, 10, 11, 12, 14, 15]);
  });
});
