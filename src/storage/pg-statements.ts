import { createHash } from "node:crypto";
import type pg from "pg";

/** Statement texts seen, with their prepared-statement names (bounded, oldest dropped first). */
const statementNames = new Map<string, string>();
/** Named statements one connection keeps at most; further texts run unnamed. */
const NAMED_PER_CONNECTION = 256;
const NAMEABLE = /^\s*(select|insert|update|delete|with)\b/i;

/** Marks a statement whose result nobody reads: inside a transaction it travels with the next one. */
const DEFERRED = "/*custos:deferred*/ ";
const BEGIN = /^\s*(begin|start transaction)\b/i;
const END = /^\s*(commit|rollback)\s*$/i;

/**
 * The text of a write whose result nobody reads (an audit entry, its events). Inside a
 * transaction on PostgreSQL it is sent without waiting for its answer and travels with the next
 * statement or the COMMIT; its error, if any, is the error of that next statement. Outside a
 * transaction it runs as usual.
 */
export const deferredWrite = (sql: string): string => DEFERRED + sql;

interface PipelineState {
  /** A BEGIN not sent yet: it goes out with the transaction's first statement. */
  begin: string | undefined;
  inTransaction: boolean;
  /** Statements sent but not waited for; the next statement waits for them. */
  inFlight: Promise<unknown>[];
  /** The socket is corked behind a deferred write. */
  corked: boolean;
}

const answered = (command: string) => Promise.resolve({ command, rowCount: 0, rows: [], fields: [] });

/**
 * Wraps a pooled connection (set up with `pipeline: true`) for the application's queries:
 *
 * - Named prepared statements. Kysely sends every query unnamed, so PostgreSQL parses and plans
 *   each one again; the repositories send a small, fixed set of texts, and a named statement is
 *   parsed and planned once per connection. Transaction control and DDL stay unnamed. A statement
 *   PostgreSQL can no longer use as prepared (its table changed shape, or the session's statements
 *   were discarded) is run again unnamed; inside a transaction that retry reports the transaction
 *   as failed.
 * - Fewer round trips per transaction. BEGIN is held back and written together with the first
 *   statement, and writes marked with `deferredWrite` are written together with the statement
 *   after them (usually the COMMIT), each in one socket write answered in one round trip. A
 *   create or a PATCH pays two round trips fewer. A held-back statement's error is reported by
 *   the statement that waited for it, so a failed audit insert still fails the COMMIT (which
 *   PostgreSQL would otherwise answer with a silent ROLLBACK). A transaction with no statements
 *   sends nothing at all.
 *
 * `trips` counts the exchanges with the server: a statement sent on its own, or a group sent in
 * one write, counts once.
 */
export function withNamedStatements(client: pg.PoolClient, trips: { n: number }): pg.PoolClient {
  const marked = client as pg.PoolClient & { custosNamed?: Set<string> };
  if (marked.custosNamed) return client;
  const named = new Set<string>();
  marked.custosNamed = named;
  const query = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<unknown>;
  const nameFor = (text: string): string | undefined => {
    if (!NAMEABLE.test(text)) return undefined;
    let name = statementNames.get(text);
    if (name === undefined) {
      name = `custos_${createHash("sha1").update(text).digest("base64url").slice(0, 20)}`;
      if (statementNames.size >= 2000) {
        const oldest = statementNames.keys().next().value;
        if (oldest !== undefined) statementNames.delete(oldest);
      }
      statementNames.set(text, name);
    }
    if (!named.has(name)) {
      if (named.size >= NAMED_PER_CONNECTION) return undefined;
      named.add(name);
    }
    return name;
  };
  const send = (sql: string, values: unknown[]): Promise<unknown> => {
    const text = sql.startsWith(DEFERRED) ? sql.slice(DEFERRED.length) : sql;
    const name = nameFor(text);
    if (name === undefined) return query(text, values);
    return query({ name, text, values }).catch((error: { code?: string }) => {
      // 0A000: cached plan must not change result type; 26000: prepared statement does not exist.
      if (error.code === "0A000" || error.code === "26000") return query(text, values);
      throw error;
    });
  };
  const stream = (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
  const state: PipelineState = { begin: undefined, inTransaction: false, inFlight: [], corked: false };
  const cork = () => {
    if (!state.corked) stream?.cork?.();
    state.corked = true;
  };
  const uncork = () => {
    if (state.corked) stream?.uncork?.();
    state.corked = false;
  };
  (client as { query: unknown }).query = (config: unknown, values?: unknown) => {
    if (typeof config !== "string" || !Array.isArray(values)) {
      uncork();
      trips.n++;
      return query(config, values);
    }
    if (BEGIN.test(config) && !state.inTransaction) {
      state.begin = config;
      state.inTransaction = true;
      return answered("BEGIN");
    }
    const ends = END.test(config);
    if (ends && state.begin !== undefined) {
      // Nothing was sent in this transaction: there is nothing to commit or roll back.
      state.begin = undefined;
      state.inTransaction = false;
      return answered(config.trim().toUpperCase());
    }
    const deferred = config.startsWith(DEFERRED) && state.inTransaction;
    cork();
    let result: Promise<unknown>;
    try {
      if (state.begin !== undefined) {
        state.inFlight.push(query(state.begin, []));
        state.begin = undefined;
      }
      result = send(config, values);
    } finally {
      if (!deferred) uncork();
    }
    if (deferred) {
      result.catch(() => {});
      state.inFlight.push(result);
      return answered("DEFERRED");
    }
    trips.n++;
    if (ends) state.inTransaction = false;
    if (state.inFlight.length === 0) return result;
    const earlier = state.inFlight;
    state.inFlight = [];
    const rollingBack = /^\s*rollback\s*$/i.test(config);
    return Promise.allSettled(earlier).then(async (settled) => {
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
      if (failed === undefined || rollingBack) return result;
      // The statement after a failed one was refused by the aborted transaction (or, for COMMIT,
      // answered with ROLLBACK): the first failure is the one to report.
      await result.catch(() => {});
      throw failed.reason;
    });
  };
  return client;
}
