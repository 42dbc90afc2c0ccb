import { type CompiledQuery, type DialectAdapter, type Expression, type Generated, type ExpressionBuilder, type Selectable, type SqlBool, sql } from "kysely";
import { AppError } from "../../core/errors.js";
import type { Executor } from "../../storage/db.js";
import { withDbErrors } from "../../storage/db-errors.js";
import { rowInsert } from "../../storage/row-insert.js";
import type { Tables } from "../../storage/schema.js";
import { type CustomerFieldColumns, type CustomerFieldName, FIELD_ENTRIES } from "./fields.js";
import {
  type Customer,
  type Filter,
  type ListPage,
  type ListQuery,
  NUMERIC_FIELDS,
  type SortKey,
} from "./schema.js";

/** The customers table: the fields of fields.ts, plus what the service keeps itself. */
export interface CustomersTable extends CustomerFieldColumns {
  id: Generated<number>;
  handle: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  version: number;
}

declare module "../../storage/schema.js" {
  interface Tables {
    customers: CustomersTable;
  }
}

export type CustomerRow = Selectable<CustomersTable>;
export type NewRow = Omit<Selectable<CustomersTable>, "id">;

/** Which principal's view a query runs in: resellers see their own customers, customers themselves. */
export interface Scope {
  ownerId?: number;
  customerId?: number;
}

export type ExistingKeys = Pick<CustomerRow, "id" | "owner_id" | "external_id" | "email" | "login" | "customer_number" | "handle">;

export type CustomerKey =
  | { kind: "id"; value: number }
  | { kind: "handle" | "login" | "customer_number" | "external_id" | "email"; value: string };

const nullIfEmpty = (s: string): string | null => (s === "" ? null : s);

export function rowToCustomer(row: CustomerRow): Customer {
  const out: Record<string, unknown> = { object: "customer", id: row.id, handle: row.handle };
  for (const [name, def] of FIELD_ENTRIES) {
    const v = row[name];
    out[name] = def.store === "optional_text" ? nullIfEmpty(v as string) : def.store === "flag" ? v === 1 : def.store === "json" ? JSON.parse(v as string) : v;
    if (name === "status") out.deleted = row.deleted_at !== null;
    if (name === "initials") {
      const full = [row.name_prefix, row.first_name, row.last_name].filter((s) => s !== "").join(" ");
      out.full_name = full === "" ? null : full;
    }
  }
  out.created_at = row.created_at;
  out.updated_at = row.updated_at;
  out.deleted_at = row.deleted_at;
  out.version = row.version;
  return out as Customer;
}

/** The writable state of a customer, as stored. */
export type CustomerState = Omit<Customer, "object" | "id" | "handle" | "deleted" | "full_name" | "created_at" | "updated_at" | "deleted_at" | "version">;

/** Compiles only while every writable field of the schema has its entry in fields.ts. */
export type EveryFieldInTable<T extends never = Exclude<keyof CustomerState, CustomerFieldName>> = T;

export function stateToColumns(s: CustomerState): Omit<NewRow, "handle" | "created_at" | "updated_at" | "deleted_at" | "version"> {
  const cols: Record<string, unknown> = {};
  for (const [name, def] of FIELD_ENTRIES) {
    const v = s[name];
    cols[name] = def.store === "optional_text" ? (v ?? "") : def.store === "flag" ? (v ? 1 : 0) : def.store === "json" ? JSON.stringify(v) : v;
  }
  return cols as Omit<NewRow, "handle" | "created_at" | "updated_at" | "deleted_at" | "version">;
}

/**
 * The columns of `columns` whose value differs from what `row` holds. An UPDATE that names a
 * column rewrites every index on it even when the value is the same, so a write names only
 * what changed (a value whose stored form differs only in type is written again, harmlessly).
 */
export function changedColumns<C extends Record<string, unknown>>(row: CustomerRow, columns: C): Partial<C> {
  const changed: Partial<C> = {};
  const stored = row as unknown as Record<string, unknown>;
  for (const key of Object.keys(columns) as (keyof C & string)[]) {
    if (stored[key] !== columns[key]) changed[key] = columns[key];
  }
  return changed;
}

/** Opaque keyset cursor: the sort values and id of the row it points at. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}
export function decodeCursor(cursor: string, sort: SortKey[]): (string | number)[] {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(v) && v.length === sort.length + 1 && v.every((x) => typeof x === "string" || typeof x === "number")) {
      return v as (string | number)[];
    }
  } catch {
    // fall through
  }
  throw new AppError("validation_failed", "The cursor is not valid for this query", {
    issues: [{ field: "cursor", code: "invalid_format", message: "is not a cursor returned by this list with the same sort" }],
  });
}

type EB = ExpressionBuilder<Tables, "customers">;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}

function filterExpression(eb: EB, f: Filter): Expression<SqlBool> {
  const col = eb.ref(`customers.${f.field}`);
  const v = f.value;
  switch (f.op) {
    case "eq":
      return eb(col, "=", v as string);
    case "ne":
      return eb(col, "<>", v as string);
    case "lt":
      return eb(col, "<", v as string);
    case "lte":
      return eb(col, "<=", v as string);
    case "gt":
      return eb(col, ">", v as string);
    case "gte":
      return eb(col, ">=", v as string);
    case "prefix":
      return sql<SqlBool>`${col} like ${`${escapeLike(String(v))}%`} escape '\\'`;
    case "like": {
      // Client wildcards are * (any run) and ? (one character); everything else is literal.
      const pattern = escapeLike(String(v)).replace(/\*/g, "%").replace(/\?/g, "_");
      return sql<SqlBool>`${col} like ${pattern} escape '\\'`;
    }
    case "in":
      return eb(col, "in", v as string[]);
  }
}

/** Compiled lookups by unique key, per dialect (a transaction shares its database's adapter). */
const compiledFinds = new WeakMap<DialectAdapter, Map<string, CompiledQuery<CustomerRow>>>();

export class CustomerRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: NewRow): Promise<CustomerRow> {
    return withDbErrors(() => this.db.insertInto("customers").values(row).returningAll().executeTakeFirstOrThrow());
  }

  /** Inserts the row unless one of its unique keys (handle, login, number, e-mail, external id) is taken: undefined then. */
  async insertIfKeysFree(row: NewRow & { id: number }): Promise<CustomerRow | undefined> {
    // Every column is given, the id included, so the stored row is `row`: nothing to read back.
    const r = await withDbErrors(() => this.db.executeQuery(rowInsert(this.db, "customers", row, { ifAbsent: true }).compile()));
    return Number(r.numAffectedRows ?? 0n) === 1 ? (row as CustomerRow) : undefined;
  }

  /**
   * Writes `changes` to a row read in this transaction if it is still at that row's version
   * (undefined when it is not). The stored result is `row` with `changes`: it is not read back.
   */
  async update(row: CustomerRow, changes: Partial<NewRow>): Promise<CustomerRow | undefined> {
    const version = row.version + 1;
    const r = await withDbErrors(() =>
      this.db.updateTable("customers").set({ ...changes, version }).where("id", "=", row.id).where("version", "=", row.version).executeTakeFirst(),
    );
    return Number(r.numUpdatedRows) === 1 ? { ...row, ...changes, version } : undefined;
  }

  /** Inserts the row unless its handle is taken (then undefined); other unique keys still raise a conflict. */
  async insertUnlessHandleTaken(row: NewRow & { id?: number }): Promise<CustomerRow | undefined> {
    return withDbErrors(() =>
      this.db
        .insertInto("customers")
        .values(row)
        .onConflict((oc) => oc.column("handle").doNothing())
        .returningAll()
        .executeTakeFirst(),
    );
  }

  /** `setGeneratedKeys` in one statement with the check that no customer has `login` yet; undefined when one has. */
  async setGeneratedKeysIfFree(id: number, login: string, customerNumber: string): Promise<CustomerRow | undefined> {
    return withDbErrors(() =>
      this.db
        .updateTable("customers")
        .set({ login, customer_number: customerNumber })
        .where("id", "=", id)
        .where((eb) => eb.not(eb.exists(eb.selectFrom("customers as taken").select("taken.id").where("taken.login", "=", login))))
        .returningAll()
        .executeTakeFirst(),
    );
  }

  /** Fills in the login and customer number generated from the new row's id (no version bump). */
  async setGeneratedKeys(id: number, login: string, customerNumber: string): Promise<CustomerRow> {
    return withDbErrors(() =>
      this.db.updateTable("customers").set({ login, customer_number: customerNumber }).where("id", "=", id).returningAll().executeTakeFirstOrThrow(),
    );
  }

  async hardDelete(id: number): Promise<void> {
    await withDbErrors(() => this.db.deleteFrom("customers").where("id", "=", id).execute());
  }

  async find(key: CustomerKey, scope: Scope): Promise<CustomerRow | undefined> {
    if (key.kind !== "email") {
      // The hot read path: the SQL of a lookup by a unique key depends only on the key and the
      // scope's shape, so it is compiled once per dialect and run with this call's values.
      const compiled = this.compiledFind(key.kind, scope);
      const parameters: unknown[] = [key.value];
      if (scope.ownerId !== undefined) parameters.push(scope.ownerId);
      if (scope.customerId !== undefined) parameters.push(scope.customerId);
      const result = await this.db.executeQuery<CustomerRow>({ ...compiled, parameters });
      return result.rows[0];
    }
    // Every other key is unique; an e-mail address may also sit on tombstones, where the live
    // customer wins, then the newest.
    let q = this.db.selectFrom("customers").selectAll().where("email", "=", key.value);
    if (scope.ownerId !== undefined) q = q.where("owner_id", "=", scope.ownerId);
    if (scope.customerId !== undefined) q = q.where("id", "=", scope.customerId);
    return q.orderBy(sql`case when deleted_at is null then 0 else 1 end`).orderBy("id", "desc").limit(1).executeTakeFirst();
  }

  private compiledFind(kind: Exclude<CustomerKey["kind"], "email">, scope: Scope): CompiledQuery<CustomerRow> {
    const adapter = this.db.getExecutor().adapter;
    let byShape = compiledFinds.get(adapter);
    if (!byShape) {
      byShape = new Map();
      compiledFinds.set(adapter, byShape);
    }
    const shape = `${kind}:${scope.ownerId !== undefined}:${scope.customerId !== undefined}`;
    let compiled = byShape.get(shape);
    if (!compiled) {
      // Placeholder values; only the SQL text is kept. Parameters follow the where() order.
      let q = this.db.selectFrom("customers").selectAll().where(kind, "=", kind === "id" ? 0 : "");
      if (scope.ownerId !== undefined) q = q.where("owner_id", "=", 0);
      if (scope.customerId !== undefined) q = q.where("id", "=", 0);
      compiled = q.compile();
      byShape.set(shape, compiled);
    }
    return compiled;
  }

  private base(query: Pick<ListQuery, "filters" | "includeDeleted">, scope: Scope) {
    let q = this.db.selectFrom("customers");
    if (!query.includeDeleted) q = q.where("deleted_at", "is", null);
    if (scope.ownerId !== undefined) q = q.where("owner_id", "=", scope.ownerId);
    if (scope.customerId !== undefined) q = q.where("id", "=", scope.customerId);
    for (const f of query.filters) q = q.where((eb) => filterExpression(eb, f));
    return q;
  }

  async count(query: Pick<ListQuery, "filters" | "includeDeleted">, scope: Scope): Promise<number> {
    const r = await this.base(query, scope)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async list(query: ListQuery, scope: Scope): Promise<ListPage<CustomerRow>> {
    // id is always the last sort key so every row has a unique position.
    const sort: SortKey[] = [...query.sort.filter((s) => s.field !== "id"), { field: "id", direction: query.sort.find((s) => s.field === "id")?.direction ?? "asc" }];
    const keys = sort.slice(0, -1);
    const backwards = query.endingBefore !== undefined;
    let q = this.base(query, scope).selectAll();
    const cursor = query.startingAfter ?? query.endingBefore;
    if (cursor !== undefined) {
      const values = decodeCursor(cursor, keys);
      q = q.where((eb) => keysetCondition(eb, sort, values, backwards));
    }
    for (const s of sort) {
      const dir = backwards ? (s.direction === "asc" ? "desc" : "asc") : s.direction;
      q = q.orderBy(`customers.${s.field}`, dir);
    }
    if (query.offset !== undefined && cursor === undefined) q = q.offset(query.offset);
    const rows = await q.limit(query.limit + 1).execute();
    const hasMore = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    if (backwards) page.reverse();
    const cursorOf = (row: CustomerRow | undefined) => (row ? encodeCursor(sort.map((s) => row[s.field as keyof CustomerRow])) : null);
    const first = page[0];
    const last = page[page.length - 1];
    const result: ListPage<CustomerRow> = {
      data: page,
      has_more: hasMore,
      next_cursor: backwards ? cursorOf(last) : hasMore ? cursorOf(last) : null,
      prev_cursor: backwards ? (hasMore ? cursorOf(first) : null) : cursor !== undefined || (query.offset ?? 0) > 0 ? cursorOf(first) : null,
    };
    if (query.includeTotal) result.total = await this.count(query, scope);
    return result;
  }

  /** Inserts many customers (ids drawn by reserveIds) in multi-row statements. */
  async insertMany(rows: CustomerRow[]): Promise<void> {
    // ~45 columns: 500 rows stay under SQLite's 32766 bound parameters.
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await withDbErrors(() => this.db.insertInto("customers").values(chunk).execute());
    }
  }

  /** Rows (live ones, for e-mail) whose `column` is one of `values`: the keys a bulk import must not collide with. */
  async findExisting(column: "external_id" | "email" | "login" | "customer_number" | "handle", values: string[]): Promise<ExistingKeys[]> {
    if (values.length === 0) return [];
    let q = this.db.selectFrom("customers").select(["id", "owner_id", "external_id", "email", "login", "customer_number", "handle"]).where(column, "in", values);
    if (column === "email") q = q.where("deleted_at", "is", null);
    return q.execute();
  }

  /**
   * Draws `n` new customer ids, so new rows are written once, with the login and number
   * generated from their ids (a create, a bulk import batch). PostgreSQL takes them from the id
   * sequence; on SQLite the caller's write transaction serialises writers, so the ids after the
   * highest ever used are free.
   */
  async reserveIds(n: number, dialect: "sqlite" | "postgres"): Promise<number[]> {
    if (n === 0) return [];
    if (dialect === "postgres") {
      const r = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('customers', 'id'))::bigint as id from generate_series(1, ${n})`.execute(this.db);
      return r.rows.map((x) => Number(x.id)).sort((a, b) => a - b);
    }
    const r = await sql<{ top: number }>`select max(coalesce((select seq from sqlite_sequence where name = 'customers'), 0), coalesce((select max(id) from customers), 0)) as top`.execute(this.db);
    const top = Number(r.rows[0]?.top ?? 0);
    return Array.from({ length: n }, (_, i) => top + 1 + i);
  }

  async loginExists(login: string): Promise<boolean> {
    const r = await this.db.selectFrom("customers").select("id").where("login", "=", login).executeTakeFirst();
    return r !== undefined;
  }
}

/** (a, b, id) > (x, y, z) expanded so each key may have its own direction. */
function keysetCondition(eb: EB, sort: SortKey[], values: (string | number)[], backwards: boolean): Expression<SqlBool> {
  const ors: Expression<SqlBool>[] = [];
  for (let i = 0; i < sort.length; i++) {
    const ands: Expression<SqlBool>[] = [];
    for (let j = 0; j < i; j++) {
      const s = sort[j] as SortKey;
      ands.push(eb(eb.ref(`customers.${s.field}`), "=", coerce(s, values[j])));
    }
    const s = sort[i] as SortKey;
    const asc = (s.direction === "asc") !== backwards;
    ands.push(eb(eb.ref(`customers.${s.field}`), asc ? ">" : "<", coerce(s, values[i])));
    ors.push(eb.and(ands));
  }
  return eb.or(ors);
}

function coerce(s: SortKey, v: string | number | undefined): string {
  if (v === undefined) throw new AppError("validation_failed", "The cursor is not valid for this query");
  return (NUMERIC_FIELDS.has(s.field) ? Number(v) : String(v)) as string;
}
