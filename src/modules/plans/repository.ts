import { type Expression, type ExpressionBuilder, type Generated, type Selectable, type SqlBool, sql } from "kysely";
import type { Tables } from "../../storage/schema.js";
import type { Executor } from "../../storage/db.js";
import { withDbErrors } from "../../storage/db-errors.js";
import type { Plan } from "./schema.js";

export interface HostingPlansTable {
  id: Generated<number>;
  owner_id: number;
  name: string;
  description: string;
  resources: string;
  created_at: string;
  updated_at: string;
  version: number;
}

declare module "../../storage/schema.js" {
  interface Tables {
    hosting_plans: HostingPlansTable;
  }
}

export type PlanRow = Selectable<HostingPlansTable>;

export function rowToPlan(row: PlanRow): Plan {
  return {
    object: "hosting_plan",
    id: Number(row.id),
    owner_id: Number(row.owner_id),
    name: row.name,
    description: row.description,
    resources: JSON.parse(row.resources),
    created_at: row.created_at,
    updated_at: row.updated_at,
    version: Number(row.version),
  };
}

/** Plans a principal may use: all (operators), or a reseller's own plus every operator's. */
export interface PlanScope {
  resellerId?: number;
}

export type PlanKey = { kind: "id"; value: number } | { kind: "name"; value: string };

export class PlanRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: Omit<PlanRow, "id">): Promise<PlanRow> {
    return withDbErrors(() => this.db.insertInto("hosting_plans").values(row).returningAll().executeTakeFirstOrThrow());
  }

  async find(key: PlanKey, scope: PlanScope): Promise<PlanRow | undefined> {
    let q = this.db.selectFrom("hosting_plans").selectAll();
    q = key.kind === "id" ? q.where("id", "=", key.value) : q.where("name", "=", key.value);
    q = q.where((eb) => this.visible(eb, scope));
    // A name may exist under the caller and under an operator: the caller's own plan wins.
    const own = scope.resellerId ?? 0;
    return q.orderBy(sql`case when owner_id = ${own} then 0 else 1 end`).orderBy("id").limit(1).executeTakeFirst();
  }

  async list(scope: PlanScope, limit: number, afterId: number | undefined, name?: string): Promise<PlanRow[]> {
    let q = this.db.selectFrom("hosting_plans").selectAll();
    q = q.where((eb) => this.visible(eb, scope));
    if (name !== undefined) q = q.where("name", "=", name);
    if (afterId !== undefined) q = q.where("id", ">", afterId);
    return q.orderBy("id").limit(limit).execute();
  }

  private visible(eb: ExpressionBuilder<Tables, "hosting_plans">, scope: PlanScope): Expression<SqlBool> {
    const { resellerId } = scope;
    if (resellerId === undefined) return eb.lit(true);
    return eb.or([eb("owner_id", "=", resellerId), eb("owner_id", "in", eb.selectFrom("accounts").select("accounts.id").where("accounts.kind", "=", "operator"))]);
  }

  async update(id: number, version: number, changes: Partial<Omit<PlanRow, "id" | "version">>): Promise<PlanRow | undefined> {
    return withDbErrors(() =>
      this.db
        .updateTable("hosting_plans")
        .set({ ...changes, version: version + 1 })
        .where("id", "=", id)
        .where("version", "=", version)
        .returningAll()
        .executeTakeFirst(),
    );
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom("hosting_plans").where("id", "=", id).execute();
  }
}
