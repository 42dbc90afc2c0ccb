/**
 * The ceilings: the least a server can do with the same framework and driver as Custos
 * (Fastify, better-sqlite3 / pg) and nothing else: no auth, no validation, no mapping, no audit.
 * Custos's figures are reported as a fraction of these, measured in the same run.
 *
 * - GET /c/:id: select * from customers where id = ? (the read ceiling).
 * - POST /w: parse the JSON body, one INSERT into the same customers table with all its
 *   indexes, in its own transaction, answer 201 (the write ceiling). SQLite runs with WAL and
 *   synchronous=NORMAL as Custos does.
 *
 * Env: PORT, and DATABASE_URL (PostgreSQL) or CUSTOS_DATA_DIR (SQLite).
 */
import { join } from "node:path";
import SQLite from "better-sqlite3";
import Fastify from "fastify";
import pg from "pg";

const port = Number(process.env.PORT ?? 8090);
const url = process.env.DATABASE_URL;
const app = Fastify({ logger: false });

interface NewCustomer {
  email: string;
  first_name: string;
  last_name: string;
  country: string;
  phone: string;
}
const INSERT_COLUMNS = ["handle", "login", "customer_number", "email", "status", "owner_id", "first_name", "last_name", "country", "phone", "created_at", "updated_at", "version"];
// Unique per process and request, so several ceiling processes never collide on a unique index.
const tag = `${process.pid.toString(36)}${Date.now().toString(36)}`;
let n = 0;
/** The operator account the seeded customers belong to. */
let owner = 1;
function values(c: NewCustomer): unknown[] {
  const i = n++;
  const now = new Date().toISOString();
  return [`WC${tag}${i}-NL`, `wc${tag}${i}`, `w${tag}${i}`, c.email, "active", owner, c.first_name, c.last_name, c.country, c.phone, now, now, 1];
}

let lookup: (id: number) => Promise<unknown>;
let insert: (c: NewCustomer) => Promise<number>;
let close: () => Promise<void>;
if (url?.startsWith("postgres")) {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.CUSTOS_DB_POOL ?? 10) });
  pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  lookup = async (id) => (await pool.query("select * from customers where id = $1", [id])).rows[0];
  owner = (await pool.query<{ id: number }>("select id from accounts where kind = 'operator' order by id limit 1")).rows[0]?.id ?? 1;
  const text = `insert into customers (${INSERT_COLUMNS.join(", ")}) values (${INSERT_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")}) returning id`;
  // A statement outside BEGIN is its own transaction.
  insert = async (c) => (await pool.query<{ id: number }>({ name: "ceiling_insert", text, values: values(c) })).rows[0]?.id ?? 0;
  close = () => pool.end();
} else {
  const db = new SQLite(join(process.env.CUSTOS_DATA_DIR ?? "./data", "custos.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  const stmt = db.prepare("select * from customers where id = ?");
  owner = (db.prepare("select id from accounts where kind = 'operator' order by id limit 1").get() as { id: number } | undefined)?.id ?? 1;
  const ins = db.prepare(`insert into customers (${INSERT_COLUMNS.join(", ")}) values (${INSERT_COLUMNS.map(() => "?").join(", ")})`);
  const write = db.transaction((c: NewCustomer) => Number(ins.run(...values(c)).lastInsertRowid));
  lookup = async (id) => stmt.get(id);
  insert = async (c) => write(c);
  close = async () => {
    db.close();
  };
}

app.get<{ Params: { id: string } }>("/c/:id", async (request, reply) => {
  const row = await lookup(Number(request.params.id));
  if (row === undefined) return reply.code(404).send({ error: "not found" });
  return row;
});

app.post<{ Body: NewCustomer }>("/w", async (request, reply) => {
  const id = await insert(request.body);
  return reply.code(201).send({ id, ...request.body });
});

await app.listen({ port, host: "127.0.0.1" });
const stop = async () => {
  await app.close();
  await close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
