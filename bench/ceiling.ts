/**
 * The ceiling: the least a server can do for GET customer by id with the same framework and
 * driver as Custos (Fastify, better-sqlite3 / pg) and nothing else: no auth, no validation, no
 * mapping. Custos's figures are reported as a fraction of this one's, measured in the same run.
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

let lookup: (id: number) => Promise<unknown>;
let close: () => Promise<void>;
if (url?.startsWith("postgres")) {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.CUSTOS_DB_POOL ?? 10) });
  lookup = async (id) => (await pool.query("select * from customers where id = $1", [id])).rows[0];
  close = () => pool.end();
} else {
  const db = new SQLite(join(process.env.CUSTOS_DATA_DIR ?? "./data", "custos.sqlite"), { readonly: true });
  db.pragma("journal_mode = WAL");
  const stmt = db.prepare("select * from customers where id = ?");
  lookup = async (id) => stmt.get(id);
  close = async () => {
    db.close();
  };
}

app.get<{ Params: { id: string } }>("/c/:id", async (request, reply) => {
  const row = await lookup(Number(request.params.id));
  if (row === undefined) return reply.code(404).send({ error: "not found" });
  return row;
});

await app.listen({ port, host: "127.0.0.1" });
const stop = async () => {
  await app.close();
  await close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
