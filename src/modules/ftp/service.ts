import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError, type FieldIssue, notFound, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import { withDbErrors } from "../../storage/db-errors.js";
import type { AuditService } from "../audit/service.js";
import { hashSecret } from "../credentials/secrets.js";
import type { CustomerService } from "../customers/service.js";
import { lockCustomer, ownsCustomer, quotaOf, visibleCustomer, writableCustomer } from "../provisioning/scope.js";
import type { ProvisioningService } from "../provisioning/service.js";
import { statusOf } from "../provisioning/status.js";
import type { SiteService } from "../sites/service.js";
import { FtpOps } from "./operations.js";
import { FtpRepository, type FtpUserRow } from "./repository.js";
import { type FTP_USER_TYPES, type FtpUserView, ftpUserCreateSchema, ftpUserListSchema, ftpUserPatchSchema } from "./schema.js";

function toView(r: FtpUserRow): FtpUserView {
  return {
    object: "ftp_user",
    id: r.id,
    customer_id: r.customer_id,
    name: r.name,
    username: r.username,
    relative_root: r.relative_root,
    type: r.type as (typeof FTP_USER_TYPES)[number],
    site_id: r.site_id,
    environment_id: r.environment_id,
    ...statusOf(r),
    created_at: r.created_at,
    updated_at: r.updated_at,
    version: r.version,
  };
}

/**
 * Customer-controlled FTP users. Passwords are argon2id hashes, never returned; roots are safe relative paths;
 * the number of users is capped by the customer's `ftps` quota.
 */
export class FtpService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    customers: CustomerService,
    private readonly sites: SiteService,
    provisioning: ProvisioningService,
  ) {
    customers.onPurge((trx, id) => new FtpRepository(trx).deleteForCustomer(id));
    sites.onSiteRemoved((trx, siteId) => new FtpRepository(trx).deleteForSite(siteId));
    provisioning.register("ftp_user", {
      find: (db, id) => new FtpRepository(db).find(id),
      write: async (db, id, s) => {
        const repo = new FtpRepository(db);
        const row = await repo.find(id);
        await repo.update(id, { ...s, version: (row?.version ?? 0) + 1 });
      },
    });
  }

  private async checkPlacement(db: Executor, customerId: number, siteId: number | null, environmentId: number | null): Promise<void> {
    const r = await this.sites.belongs(db, customerId, siteId, environmentId);
    const issues: FieldIssue[] = [];
    if (!r.site) issues.push({ field: "site_id", code: "invalid_value", message: "is not a site of this customer" });
    if (!r.environment) issues.push({ field: "environment_id", code: "invalid_value", message: siteId === null ? "is not an environment of this customer" : "is not an environment of that site" });
    if (issues.length > 0) throw validationFailed(issues);
  }

  /** A new FTP user within the customer's `ftps` quota. */
  async createFTPUser(ctx: Context, customerRef: string | number, input: unknown): Promise<FtpUserView> {
    authorize(ctx, FtpOps.create);
    const data = parseOrThrow(ftpUserCreateSchema, input);
    // Hashing is slow on purpose; it happens before the transaction so no lock waits on it.
    const passwordHash = await hashSecret(data.password);
    return withDbErrors(() =>
      this.storage.transaction(async (trx) => {
        const customer = await writableCustomer(trx, ctx, customerRef);
        await lockCustomer(trx, this.storage.dialect, customer.id);
        const repo = new FtpRepository(trx);
        await this.checkPlacement(trx, customer.id, data.site_id ?? null, data.environment_id ?? null);
        const quota = quotaOf(customer, "ftps");
        if (quota !== null) {
          const used = await repo.countFor(customer.id);
          if (used >= quota) throw new AppError("conflict", `FTP user quota reached: the customer has ${used} of ${quota} allowed (resources.ftps)`, { issues: [{ field: "resources.ftps", code: "out_of_range", message: `quota of ${quota} FTP users reached` }] });
        }
        const at = this.clock.now().toISOString();
        const row = await repo.insert({
          customer_id: customer.id,
          name: data.name,
          username: data.username,
          password_hash: passwordHash,
          relative_root: data.relative_root,
          type: data.type,
          site_id: data.site_id ?? null,
          environment_id: data.environment_id ?? null,
          status: "requested",
          status_at: at,
          status_message: null,
          created_at: at,
          updated_at: at,
          version: 1,
        });
        const view = toView(row);
        await this.audit.record(trx, ctx, { operation: FtpOps.create.name, targetType: "ftp_user", targetId: row.id, customerId: customer.id, before: null, after: view });
        return view;
      }),
    );
  }

  private async own(db: Executor, ctx: Context, id: number): Promise<FtpUserRow> {
    const row = await new FtpRepository(db).find(id);
    if (!row || !(await ownsCustomer(db, ctx, row.customer_id))) throw notFound("FTP user");
    return row;
  }

  async get(ctx: Context, id: number): Promise<FtpUserView> {
    authorize(ctx, FtpOps.get);
    return toView(await this.own(this.storage.db, ctx, id));
  }

  /** The customer's FTP users, optionally those of one site or environment. */
  async listFTPUsers(ctx: Context, customerRef: string | number, input: unknown): Promise<{ data: FtpUserView[]; has_more: boolean; next_cursor: string | null }> {
    authorize(ctx, FtpOps.list);
    const q = parseOrThrow(ftpUserListSchema, input ?? {});
    const customer = await visibleCustomer(this.storage.db, ctx, customerRef);
    const filter: { siteId?: number; environmentId?: number } = {};
    if (q.site_id !== undefined) filter.siteId = q.site_id;
    if (q.environment_id !== undefined) filter.environmentId = q.environment_id;
    const rows = await new FtpRepository(this.storage.db).list(customer.id, filter, q.limit + 1, q.starting_after);
    const page = rows.slice(0, q.limit);
    const hasMore = rows.length > q.limit;
    const last = page[page.length - 1];
    return { data: page.map(toView), has_more: hasMore, next_cursor: hasMore && last ? String(last.id) : null };
  }

  /** Changes an FTP user; omitted fields stay. */
  async updateFTPUser(ctx: Context, id: number, input: unknown, expectedVersion?: number): Promise<FtpUserView> {
    authorize(ctx, FtpOps.update);
    const patch = parseOrThrow(ftpUserPatchSchema, input ?? {});
    const passwordHash = patch.password === undefined ? undefined : await hashSecret(patch.password);
    return withDbErrors(() =>
      this.storage.transaction(async (trx) => {
        const row = await this.own(trx, ctx, id);
        if (expectedVersion !== undefined && expectedVersion !== row.version) throw new AppError("precondition_failed", "The FTP user changed since you read it (ETag mismatch)");
        const siteId = patch.site_id === undefined ? row.site_id : patch.site_id;
        const environmentId = patch.environment_id === undefined ? row.environment_id : patch.environment_id;
        if (patch.site_id !== undefined || patch.environment_id !== undefined) await this.checkPlacement(trx, row.customer_id, siteId, environmentId);
        const updated = await new FtpRepository(trx).update(id, {
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.username === undefined ? {} : { username: patch.username }),
          ...(passwordHash === undefined ? {} : { password_hash: passwordHash }),
          ...(patch.relative_root === undefined ? {} : { relative_root: patch.relative_root }),
          ...(patch.type === undefined ? {} : { type: patch.type }),
          site_id: siteId,
          environment_id: environmentId,
          updated_at: this.clock.now().toISOString(),
          version: row.version + 1,
        });
        const after = toView(updated);
        await this.audit.record(trx, ctx, {
          operation: FtpOps.update.name,
          targetType: "ftp_user",
          targetId: id,
          customerId: row.customer_id,
          before: toView(row),
          after,
          ...(passwordHash === undefined ? {} : { details: { password_changed: true } }),
        });
        return after;
      }),
    );
  }

  /** Deletes an FTP user. */
  async destroyFTPUser(ctx: Context, id: number): Promise<void> {
    authorize(ctx, FtpOps.delete);
    await this.storage.transaction(async (trx) => {
      const row = await this.own(trx, ctx, id);
      await new FtpRepository(trx).delete(id);
      await this.audit.record(trx, ctx, { operation: FtpOps.delete.name, targetType: "ftp_user", targetId: id, customerId: row.customer_id, before: toView(row), after: null });
    });
  }
}
