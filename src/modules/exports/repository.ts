import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Executor } from "../../storage/db.js";

export interface ExportJobsTable {
  id: Generated<number>;
  customer_id: number;
  type: string;
  status: string;
  token_hash: string;
  token_sealed: string;
  file_name: string | null;
  size_bytes: number | null;
  sections_done: number;
  sections_total: number;
  downloads: number;
  error: string | null;
  created_at: string;
  completed_at: string | null;
  expires_at: string;
  last_download_at: string | null;
}

declare module "../../storage/schema.js" {
  interface Tables {
    export_jobs: ExportJobsTable;
  }
}

export type ExportJobRow = Selectable<ExportJobsTable>;

export class ExportRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: Insertable<ExportJobsTable>): Promise<ExportJobRow> {
    return this.db.insertInto("export_jobs").values(row).returningAll().executeTakeFirstOrThrow();
  }

  async findById(id: number): Promise<ExportJobRow | undefined> {
    return this.db.selectFrom("export_jobs").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async findByTokenHash(hash: string): Promise<ExportJobRow | undefined> {
    return this.db.selectFrom("export_jobs").selectAll().where("token_hash", "=", hash).executeTakeFirst();
  }

  async listFor(customerId: number, type: string | undefined): Promise<ExportJobRow[]> {
    let q = this.db.selectFrom("export_jobs").selectAll().where("customer_id", "=", customerId);
    if (type !== undefined) q = q.where("type", "=", type);
    return q.orderBy("created_at", "desc").orderBy("id", "desc").limit(100).execute();
  }

  async pendingIds(): Promise<number[]> {
    const rows = await this.db.selectFrom("export_jobs").select("id").where("status", "=", "pending").orderBy("id").execute();
    return rows.map((r) => r.id);
  }

  async update(id: number, patch: Updateable<ExportJobsTable>): Promise<void> {
    await this.db.updateTable("export_jobs").set(patch).where("id", "=", id).execute();
  }

  /** Counts one download, only while the job is still ready; false when it was not. */
  async countDownload(id: number, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable("export_jobs")
      .set((eb) => ({ downloads: eb("downloads", "+", 1), last_download_at: at }))
      .where("id", "=", id)
      .where("status", "=", "ready")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteFor(customerId: number): Promise<ExportJobRow[]> {
    const rows = await this.db.selectFrom("export_jobs").selectAll().where("customer_id", "=", customerId).execute();
    await this.db.deleteFrom("export_jobs").where("customer_id", "=", customerId).execute();
    return rows;
  }
}
