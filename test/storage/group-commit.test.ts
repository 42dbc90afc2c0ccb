import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { sql } from "kysely";
import { openStorage, type Storage } from "../../src/storage/db.js";
import { migrateToLatest } from "../../src/storage/migrate.js";
import { createTestDatabase, forEachDialect, type TestDatabase } from "../helpers/harness.js";

/**
 * Issue 16: on SQLite, transactions that arrive while others run are committed together (one
 * COMMIT writes each shared page once). Each still succeeds or fails on its own, and nobody
 * hears "done" before its write is committed. On PostgreSQL every transaction is its own; the
 * same guarantees are checked there.
 */
forEachDialect("Group commit", (dialect) => {
  let tdb: TestDatabase;
  let storage: Storage;
  let other: Storage;
  before(async () => {
    tdb = await createTestDatabase(dialect);
    storage = openStorage({ url: tdb.url, dataDir: tdb.dataDir });
    await migrateToLatest(storage);
    await sql`create table gc_probe (id integer primary key, v text not null unique)`.execute(storage.db);
    await sql`create table gc_child (id integer primary key, parent integer references gc_probe (id) deferrable initially deferred)`.execute(storage.db);
    // A second connection, as another reader of the same database would have.
    other = openStorage({ url: tdb.url, dataDir: tdb.dataDir });
  });
  after(async () => {
    await other.close();
    await storage.close();
    await tdb.drop();
  });

  const insert = (id: number, v: string) => storage.transaction(async (trx) => {
    await sql`insert into gc_probe (id, v) values (${id}, ${v})`.execute(trx);
    return id;
  });
  const visible = async (ids: number[]) =>
    (await sql<{ id: number }>`select id from gc_probe where id in (${sql.join(ids)}) order by id`.execute(other.db)).rows.map((r) => Number(r.id));

  it("concurrent transactions succeed or fail each on its own; a dry run keeps nothing", async () => {
    const seen: number[][] = [];
    const texts: string[] = [];
    storage.traceStatements((t) => texts.push(t));
    const results = await Promise.allSettled([
      insert(1, "a"),
      insert(2, "b"),
      insert(3, "a"), // duplicate of 1: refused
      storage.transaction(async (trx) => {
        await sql`insert into gc_probe (id, v) values (4, 'dry')`.execute(trx);
      }, { rollback: true }),
      storage.transaction(async (trx) => {
        await sql`insert into gc_probe (id, v) values (5, 'e')`.execute(trx);
        throw new Error("refused after writing");
      }),
      storage.transaction(async (trx) => {
        await sql`insert into gc_probe (id, v) values (6, 'f')`.execute(trx);
        // After-commit work sees the write from another connection: it is committed by then.
        storage.afterCommit(() => void visible([6]).then((v) => seen.push(v)));
        return 6;
      }),
    ]);
    storage.traceStatements(null);
    assert.deepEqual(results.map((r) => r.status), ["fulfilled", "fulfilled", "rejected", "fulfilled", "rejected", "fulfilled"]);
    assert.deepEqual(await visible([1, 2, 3, 4, 5, 6]), [1, 2, 6]);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(seen, [[6]]);
    const commits = texts.filter((t) => /^commit/i.test(t)).length;
    if (dialect === "sqlite") assert.equal(commits, 1, `one COMMIT for the whole group:\n${texts.join("\n")}`);
    else assert.equal(commits, 3);
  });

  it("a transaction returns only once its write is committed", async () => {
    const ids = [11, 12, 13, 14, 15, 16, 17, 18];
    const checks = await Promise.all(ids.map(async (id) => {
      await insert(id, `v${id}`);
      return visible([id]);
    }));
    assert.deepEqual(checks, ids.map((id) => [id]));
  });

  it("a commit that fails fails every transaction it would have committed", async () => {
    const results = await Promise.allSettled([
      insert(21, "g1"),
      storage.transaction(async (trx) => {
        // Checked at commit only: the parent does not exist.
        await sql`insert into gc_child (id, parent) values (1, 999)`.execute(trx);
      }),
      insert(22, "g2"),
    ]);
    if (dialect === "sqlite") {
      // One group, one commit: nobody is told its write was kept.
      assert.deepEqual(results.map((r) => r.status), ["rejected", "rejected", "rejected"]);
      assert.deepEqual(await visible([21, 22]), []);
    } else {
      assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
      assert.deepEqual(await visible([21, 22]), [21, 22]);
    }
    // The database carries on with the next group.
    assert.equal(await insert(23, "g3"), 23);
    assert.deepEqual(await visible([23]), [23]);
  });

  it("nested transactions inside a grouped one keep their savepoint semantics", async () => {
    const r = await Promise.allSettled([
      insert(31, "n1"),
      storage.transaction(async (trx) => {
        await sql`insert into gc_probe (id, v) values (32, 'n2')`.execute(trx);
        await storage.transaction(async (inner) => {
          await sql`insert into gc_probe (id, v) values (33, 'n3')`.execute(inner);
          throw new Error("inner refused");
        }).catch(() => {});
      }),
    ]);
    assert.deepEqual(r.map((x) => x.status), ["fulfilled", "fulfilled"]);
    assert.deepEqual(await visible([31, 32, 33]), [31, 32]);
  });
});
