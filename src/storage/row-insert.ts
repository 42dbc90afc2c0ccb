import { type Compilable, CompiledQuery, PostgresAdapter } from "kysely";
import type { Executor } from "./db.js";
import { deferredWrite } from "./pg-statements.js";
import type { Tables } from "./schema.js";

/** SQL texts by dialect, table and column list (bounded, oldest dropped first). */
const texts = new Map<string, string>();

/**
 * The INSERT of one row, built without Kysely's query compiler: the text depends only on the
 * table and the columns given, so it is made once and reused with each row's values. For the
 * hot writes (a customer has 60 columns; compiling that INSERT anew cost about 28 µs a time).
 * Columns whose value is undefined are left out, as Kysely leaves them. `ifAbsent` adds
 * ON CONFLICT DO NOTHING: a row that would break any unique key is not written.
 */
export function rowInsert(db: Executor, table: keyof Tables & string, row: Readonly<Record<string, unknown>>, options: { ifAbsent?: boolean } = {}): Compilable {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const columns = Object.keys(row).filter((c) => row[c] !== undefined);
  const key = `${postgres ? "pg" : "sqlite"} ${table} ${options.ifAbsent ? "ifAbsent" : ""} ${columns.join(",")}`;
  let text = texts.get(key);
  if (text === undefined) {
    const placeholders = columns.map((_, i) => (postgres ? `$${i + 1}` : "?"));
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) values (${placeholders.join(", ")})${options.ifAbsent ? " on conflict do nothing" : ""}`;
    if (texts.size >= 500) {
      const oldest = texts.keys().next().value;
      if (oldest !== undefined) texts.delete(oldest);
    }
    texts.set(key, text);
  }
  const sqlText = text;
  const parameters = columns.map((c) => row[c]);
  return { compile: () => CompiledQuery.raw(sqlText, parameters) };
}

/**
 * Runs INSERTs whose results nobody reads (an audit entry and the events beside it). On
 * PostgreSQL they go as one statement, all but the last as data-modifying WITH parts, and inside
 * a transaction that statement is not waited for: it travels with the next one, usually the
 * COMMIT, which then fails if it did (see deferredWrite). On SQLite, which has no round trips to
 * save, they run one after another.
 */
export async function insertAll(db: Executor, inserts: readonly Compilable[]): Promise<void> {
  if (inserts.length === 0) return;
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    for (const insert of inserts) await db.executeQuery(insert.compile());
    return;
  }
  const [first] = inserts;
  if (inserts.length === 1 && first) {
    const only = first.compile();
    await db.executeQuery(CompiledQuery.raw(deferredWrite(only.sql), [...only.parameters]));
    return;
  }
  const parameters: unknown[] = [];
  const texts = inserts.map((insert) => {
    const compiled = insert.compile();
    const offset = parameters.length;
    parameters.push(...compiled.parameters);
    return compiled.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  });
  const last = texts.pop() as string;
  await db.executeQuery(CompiledQuery.raw(deferredWrite(`with ${texts.map((t, i) => `w${i} as (${t})`).join(", ")} ${last}`), parameters));
}
