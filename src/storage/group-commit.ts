import type { AsyncLocalStorage } from "node:async_hooks";
import type { ControlledTransaction, Kysely, Transaction } from "kysely";
import type { Tables } from "./schema.js";

/** Savepoint names are chosen at run time, so the transaction is typed as holding any of them. */
export type Controlled = ControlledTransaction<Tables, string[]>;

/** The transaction a call chain runs in (kept in AsyncLocalStorage by the storage). */
export interface Ambient {
  trx: Controlled;
  /** False once the transaction has ended: work that outlives it (background jobs) uses the pool again. */
  open: boolean;
  afterCommit: (() => void)[];
  savepoints: number;
  /** Set when a part joined without a savepoint failed: the whole transaction must roll back. */
  doomed?: unknown;
}

/** The most transactions one commit group takes. */
const GROUP_MAX_MEMBERS = 64;

/**
 * Group commit for SQLite, which has one writer. A commit writes every page the transaction
 * changed to the WAL, and consecutive writes change mostly the same pages (the last pages of the
 * tables and of the indexes they share), so writes committed together write each page once.
 *
 * Transactions still run strictly one at a time, each in its own savepoint of a shared
 * transaction. The shared transaction commits once the event loop has taken in the requests
 * that arrived meanwhile (a setImmediate), or when it is full; only then does each member's
 * `transaction()` return and its after-commit work run, so nobody is told its write was kept
 * before it was. A member that fails, or is a dry run, rolls back to its savepoint and leaves
 * the others' work alone. If the commit fails, every member of the group fails with that error.
 * The first member needs no savepoint: until it finishes it runs alone, and if it fails the
 * group is just rolled back. One transaction on its own is one BEGIN and one COMMIT, as before.
 */
export function groupCommit(db: Kysely<Tables>, ambient: AsyncLocalStorage<Ambient>) {
  interface Member {
    afterCommit: (() => void)[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }
  interface Group {
    trx: Controlled;
    members: number;
    committing: Member[];
    /** The pending commit, once scheduled. */
    closing?: Promise<void>;
  }
  let group: Group | undefined;
  // The turn to run: one member (or one commit) at a time, first come first served.
  let running = false;
  const queue: (() => void)[] = [];
  const takeTurn = async (): Promise<void> => {
    if (!running) {
      running = true;
      return;
    }
    await new Promise<void>((resolve) => queue.push(resolve));
  };
  const passTurn = () => {
    const next = queue.shift();
    if (next) next();
    else running = false;
  };
  /** Ends group `g` (the caller holds the turn): commit, or roll back when a step failed. */
  const end = async (g: Group, failed?: { error: unknown }) => {
    if (group === g) group = undefined;
    let error = failed?.error;
    if (!failed) {
      try {
        await g.trx.commit().execute();
      } catch (e) {
        error = e;
        failed = { error: e };
      }
    }
    if (failed) {
      await g.trx.rollback().execute().catch(() => {});
      for (const m of g.committing) m.reject(error);
      return;
    }
    for (const m of g.committing) m.resolve();
    for (const m of g.committing) for (const after of m.afterCommit) after();
  };
  /** A member is done (the caller holds the turn): commit now if the group is full, else once the event loop has turned. */
  const finish = async (g: Group) => {
    if (g.members >= GROUP_MAX_MEMBERS) {
      await end(g);
      passTurn();
      return;
    }
    passTurn();
    g.closing ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        void (async () => {
          await takeTurn();
          if (group === g) await end(g);
          passTurn();
          resolve();
        })();
      });
    });
  };
  const run = async <T>(fn: (trx: Transaction<Tables>) => Promise<T>, rollback: boolean): Promise<T> => {
    await takeTurn();
    const first = group === undefined;
    let g: Group;
    try {
      g = group ??= { trx: (await db.startTransaction().execute()) as unknown as Controlled, members: 0, committing: [] };
    } catch (error) {
      passTurn();
      throw error;
    }
    g.members++;
    const savepoint = first ? undefined : `g${g.members}`;
    const scope: Ambient = { trx: g.trx, open: true, afterCommit: [], savepoints: 0 };
    let result: T | undefined;
    let failure: { error: unknown } | undefined;
    try {
      if (savepoint) await g.trx.savepoint(savepoint).execute();
      result = await ambient.run(scope, () => fn(g.trx));
      if (scope.doomed !== undefined) failure = { error: scope.doomed };
    } catch (error) {
      failure = { error };
    }
    scope.open = false;
    if (failure || rollback) {
      if (!savepoint) {
        // Alone in the group: undo all of it; the next transaction starts a new group.
        await end(g, failure ?? { error: undefined });
        passTurn();
      } else {
        try {
          await g.trx.rollbackToSavepoint(savepoint).execute();
          await g.trx.releaseSavepoint(savepoint).execute();
        } catch (error) {
          // The savepoint could not be undone: nothing in the group can be trusted.
          await end(g, { error });
          passTurn();
          throw failure?.error ?? error;
        }
        await finish(g);
      }
      if (failure) throw failure.error;
      return result as T;
    }
    const committed = new Promise<void>((resolve, reject) => g.committing.push({ afterCommit: scope.afterCommit, resolve, reject }));
    // A group that fails takes its members with it: each learns through `committed`.
    committed.catch(() => {});
    try {
      if (savepoint) await g.trx.releaseSavepoint(savepoint).execute();
    } catch (error) {
      await end(g, { error });
      passTurn();
      throw error;
    }
    await finish(g);
    await committed;
    return result as T;
  };
  /** Waits for the open group, if any, to commit (before closing the database). */
  const flush = async () => {
    await group?.closing;
  };
  return { run, flush };
}
