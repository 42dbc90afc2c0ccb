import type { Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";

export interface CustomerImportRunsTable {
  id: string;
  /** Identity of the input (name, size, digest of its start): the same file resumes the same run. */
  source: string;
  actor_kind: string;
  actor_id: number;
  owner_id: number;
  status: string;
  last_line: number;
  created: number;
  skipped: number;
  failed: number;
  started_at: string;
  updated_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    customer_import_runs: CustomerImportRunsTable;
  }
}

export type ImportRunRow = Selectable<CustomerImportRunsTable>;

export class ImportRunRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: ImportRunRow): Promise<void> {
    await this.db.insertInto("customer_import_runs").values(row).execute();
  }

  async findById(id: string): Promise<ImportRunRow | undefined> {
    return this.db.selectFrom("customer_import_runs").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** The newest unfinished run over the same input by the same actor. */
  async findOpen(source: string, actorKind: string, actorId: number): Promise<ImportRunRow | undefined> {
    return this.db
      .selectFrom("customer_import_runs")
      .selectAll()
      .where("source", "=", source)
      .where("status", "=", "running")
      .where("actor_kind", "=", actorKind)
      .where("actor_id", "=", actorId)
      .orderBy("started_at", "desc")
      .limit(1)
      .executeTakeFirst();
  }

  /** Moves the checkpoint; called inside the batch's transaction. */
  async advance(id: string, lastLine: number, counts: { created: number; skipped: number; failed: number }, at: string): Promise<void> {
    await this.db
      .updateTable("customer_import_runs")
      .set((eb) => ({
        last_line: lastLine,
        created: eb("created", "+", counts.created),
        skipped: eb("skipped", "+", counts.skipped),
        failed: eb("failed", "+", counts.failed),
        updated_at: at,
      }))
      .where("id", "=", id)
      .execute();
  }

  async finish(id: string, status: "done" | "abandoned", at: string): Promise<void> {
    await this.db.updateTable("customer_import_runs").set({ status, updated_at: at }).where("id", "=", id).execute();
  }
}
