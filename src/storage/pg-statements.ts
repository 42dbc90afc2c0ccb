import { createHash } from "node:crypto";
import type pg from "pg";

/** Statement texts seen, with their prepared-statement names (bounded, oldest dropped first). */
const statementNames = new Map<string, string>();
/** Named statements one connection keeps at most; further texts run unnamed. */
const NAMED_PER_CONNECTION = 256;
const NAMEABLE = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * Runs the application's queries as named prepared statements on this connection, as its pool
 * hands it out. Kysely sends every query unnamed, so PostgreSQL parses and plans each one again;
 * the repositories send a small, fixed set of texts, and a named statement is parsed and planned
 * once per connection. Transaction control and DDL stay unnamed. A statement PostgreSQL can no
 * longer use as prepared (its table changed shape, or the session's statements were discarded)
 * is run again unnamed; inside a transaction that retry reports the transaction as failed.
 */
export function withNamedStatements(client: pg.PoolClient): pg.PoolClient {
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
  (client as { query: unknown }).query = (config: unknown, values?: unknown) => {
    if (typeof config !== "string" || !Array.isArray(values)) return query(config, values);
    const name = nameFor(config);
    if (name === undefined) return query(config, values);
    return query({ name, text: config, values }).catch((error: { code?: string }) => {
      // 0A000: cached plan must not change result type; 26000: prepared statement does not exist.
      if (error.code === "0A000" || error.code === "26000") return query(config, values);
      throw error;
    });
  };
  return client;
}
