import type { Generated, Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";
import { withDbErrors } from "../../storage/db-errors.js";
import type { Dialect } from "../../storage/schema.js";
import type { MessagePackage, PackageKind } from "./schema.js";

export interface MessagePackagesTable {
  id: Generated<number>;
  kind: string;
  name: string;
  description: string;
  volume: number;
  period: string;
  price: string;
  currency: string;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface QuotaDebitsTable {
  id: Generated<number>;
  customer_id: number;
  kind: string;
  message_id: string;
  units: number;
  balance_after: number;
  created_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    message_packages: MessagePackagesTable;
    quota_debits: QuotaDebitsTable;
  }
}

export type PackageRow = Selectable<MessagePackagesTable>;
export type DebitRow = Selectable<QuotaDebitsTable>;

export function rowToPackage(row: PackageRow): MessagePackage {
  return {
    object: "message_package",
    id: row.id,
    kind: row.kind as MessagePackage["kind"],
    name: row.name,
    description: row.description,
    volume: Number(row.volume),
    period: row.period as MessagePackage["period"],
    price: row.price,
    currency: row.currency,
    archived: row.archived_at !== null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    version: row.version,
  };
}

export class PackageRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: Omit<PackageRow, "id">): Promise<PackageRow> {
    return withDbErrors(() => this.db.insertInto("message_packages").values(row).returningAll().executeTakeFirstOrThrow());
  }

  async find(id: number): Promise<PackageRow | undefined> {
    return this.db.selectFrom("message_packages").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** Writes `changes` if the row is still at `expectedVersion`; undefined when it is not. */
  async update(id: number, expectedVersion: number, changes: Partial<Omit<PackageRow, "id" | "version">>): Promise<PackageRow | undefined> {
    return withDbErrors(() =>
      this.db
        .updateTable("message_packages")
        .set({ ...changes, version: expectedVersion + 1 })
        .where("id", "=", id)
        .where("version", "=", expectedVersion)
        .returningAll()
        .executeTakeFirst(),
    );
  }

  /** Ascending by id, keyset-paged. */
  async list(q: { kind?: PackageKind | undefined; includeArchived: boolean; limit: number; afterId?: number | undefined }): Promise<PackageRow[]> {
    let s = this.db.selectFrom("message_packages").selectAll();
    if (q.kind !== undefined) s = s.where("kind", "=", q.kind);
    if (!q.includeArchived) s = s.where("archived_at", "is", null);
    if (q.afterId !== undefined) s = s.where("id", ">", q.afterId);
    return s.orderBy("id", "asc").limit(q.limit).execute();
  }
}

export class QuotaRepository {
  constructor(
    private readonly db: Executor,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Takes the customer's row lock for the rest of the transaction, so concurrent debits of one
   * customer run one after another. SQLite needs nothing: it runs one write transaction at a time.
   */
  async lockCustomer(customerId: number): Promise<void> {
    if (this.dialect !== "postgres") return;
    await this.db.selectFrom("customers").select("id").where("id", "=", customerId).forUpdate().execute();
  }

  async findDebit(customerId: number, kind: PackageKind, messageId: string): Promise<DebitRow | undefined> {
    return this.db.selectFrom("quota_debits").selectAll().where("customer_id", "=", customerId).where("kind", "=", kind).where("message_id", "=", messageId).executeTakeFirst();
  }

  async insertDebit(row: Omit<DebitRow, "id">): Promise<DebitRow> {
    return withDbErrors(() => this.db.insertInto("quota_debits").values(row).returningAll().executeTakeFirstOrThrow());
  }

  async deleteOf(customerId: number): Promise<void> {
    await this.db.deleteFrom("quota_debits").where("customer_id", "=", customerId).execute();
  }
}
