import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError, type FieldIssue, notFound, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import { withDbErrors } from "../../storage/db-errors.js";
import type { AuditService } from "../audit/service.js";
import type { CustomerService } from "../customers/service.js";
import type { NetworkService } from "../network/service.js";
import { lockCustomer, ownsCustomer, quotaOf, visibleCustomer, writableCustomer } from "../provisioning/scope.js";
import type { ProvisioningService } from "../provisioning/service.js";
import { statusOf } from "../provisioning/status.js";
import type { SettingsService } from "../settings/service.js";
import { CatalogueOps, SiteOps } from "./operations.js";
import { type ContainerTypeRow, type OsImageRow, type SiteParts, SiteRepository, type SiteRow } from "./repository.js";
import {
  type ContainerTypeView,
  containerTypeCreateSchema,
  type OsImageView,
  osImageCreateSchema,
  type SiteView,
  type WizardInput,
  wizardSchema,
} from "./schema.js";

function siteView(s: SiteRow, p: SiteParts): SiteView {
  return {
    object: "site",
    id: s.id,
    customer_id: s.customer_id,
    name: s.name,
    hostname: s.hostname,
    aliases: p.aliases,
    environments: p.environments.map((e) => ({ object: "environment", id: e.id, site_id: e.site_id, name: e.name, ...statusOf(e), created_at: e.created_at })),
    containers: p.containers.map((c) => ({
      object: "container",
      id: c.id,
      site_id: c.site_id,
      name: c.name,
      type: { id: c.type_id, name: c.type_name },
      os: { id: c.os_id, name: c.os_name },
      disk_space_mb: c.disk_space_mb,
      size: c.size,
      ...statusOf(c),
      created_at: c.created_at,
    })),
    dns_records: p.dns.map((d) => ({ name: d.name, type: d.type as "A" | "AAAA" | "CNAME", content: d.content, ttl: d.ttl })),
    ...statusOf(s),
    created_at: s.created_at,
    version: s.version,
  };
}

const typeView = (t: ContainerTypeRow): ContainerTypeView => ({ object: "container_type", id: t.id, name: t.name, description: t.description, max_size: t.max_size });
const osView = (o: OsImageRow): OsImageView => ({ object: "os_image", id: o.id, name: o.name, description: o.description });

function pick<T extends { id: number; name: string }>(rows: T[], ref: number | string, field: string, what: string): T {
  const row = rows.find((r) => (typeof ref === "number" ? r.id === ref : r.name === ref));
  if (!row) throw validationFailed([{ field, code: "invalid_value", message: `is not a ${what} of the catalogue (${rows.map((r) => r.name).join(", ") || "empty"})` }]);
  return row;
}

/** A step of the wizard after which tests may inject a failure. */
export type WizardStep = "site" | "environments" | "container" | "dns";

/**
 * Sites, their environments and containers, and the wizard that creates them together.
 * Custos keeps the objects; provisioning systems build them and report
 * their status back.
 */
export class SiteService {
  private readonly removedHooks: ((trx: Executor, siteId: number) => Promise<void>)[] = [];
  /** Test seam: called after each wizard step inside the transaction; throwing aborts the wizard. */
  faultAfter: ((step: WizardStep) => void) | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    customers: CustomerService,
    private readonly network: NetworkService,
    private readonly settings: SettingsService,
    provisioning: ProvisioningService,
  ) {
    customers.onPurge(async (trx, customerId) => {
      const repo = new SiteRepository(trx);
      for (const id of await repo.siteIdsOf(customerId)) await this.remove(trx, id);
    });
    network.useSiteLookup(async (db, customerId, siteId) => (await new SiteRepository(db).site(siteId))?.customer_id === customerId);
    provisioning.register("site", {
      find: (db, id) => new SiteRepository(db).site(id),
      write: async (db, id, s) => {
        const repo = new SiteRepository(db);
        const site = await repo.site(id);
        await repo.setSiteStatus(id, s, (site?.version ?? 0) + 1);
      },
    });
    provisioning.register("environment", { find: (db, id) => new SiteRepository(db).environment(id), write: (db, id, s) => new SiteRepository(db).setEnvironmentStatus(id, s) });
    provisioning.register("container", { find: (db, id) => new SiteRepository(db).container(id), write: (db, id, s) => new SiteRepository(db).setContainerStatus(id, s) });
  }

  /** Modules with objects on a site (FTP users) tidy up here, in the same transaction. */
  onSiteRemoved(hook: (trx: Executor, siteId: number) => Promise<void>): void {
    this.removedHooks.push(hook);
  }

  /** The wizard: everything below commits together or not at all. */
  async wizard(ctx: Context, customerRef: string | number, input: unknown): Promise<SiteView> {
    authorize(ctx, SiteOps.wizard);
    const data: WizardInput = parseOrThrow(wizardSchema, input);
    const names = [data.site_hostname, ...data.alias_names];
    if (data.alias_names.includes(data.site_hostname)) throw validationFailed([{ field: "alias_names", code: "invalid_value", message: "must not repeat site_hostname" }]);
    return withDbErrors(() =>
      this.storage.transaction(async (trx) => {
        const customer = await writableCustomer(trx, ctx, customerRef);
        await lockCustomer(trx, this.storage.dialect, customer.id);
        const repo = new SiteRepository(trx);
        const type = pick(await repo.containerTypes(), data.container_type, "container_type", "container type");
        const os = pick(await repo.osImages(), data.container_os_id, "container_os_id", "operating-system image");
        const issues: FieldIssue[] = [];
        if (data.container_size > type.max_size) issues.push({ field: "container_size", code: "out_of_range", message: `must be at most ${type.max_size} for container type ${type.name}` });
        const diskQuota = quotaOf(customer, "diskspace_mb");
        if (diskQuota !== null) {
          const used = await repo.diskInUse(customer.id);
          if (used + data.container_disk_space > diskQuota) {
            issues.push({ field: "container_disk_space", code: "out_of_range", message: `exceeds the customer's disk quota: ${used} of ${diskQuota} MB in use, ${data.container_disk_space} MB more requested` });
          }
        }
        const taken = await repo.hostnameTaken(names);
        for (const name of taken) issues.push({ field: name === data.site_hostname ? "site_hostname" : "alias_names", code: "already_exists", message: `${name} is already the host name of a site` });
        let addresses: { address: string; version: number }[] = [];
        if (data.create_dns) {
          addresses = (await this.network.addressesOf(trx, customer.id)).slice(0, 8);
          if (addresses.length === 0) issues.push({ field: "create_dns", code: "invalid_value", message: "needs an IP address of the customer to point the host name at; assign one first (addIpAddress)" });
        }
        if (issues.length > 0) throw validationFailed(issues);

        const at = this.clock.now().toISOString();
        const requested = { status: "requested", status_at: at, status_message: null };
        const site = await repo.insertSite({ customer_id: customer.id, name: data.site_name, hostname: data.site_hostname, created_at: at, version: 1, ...requested });
        await repo.insertHostname({ site_id: site.id, hostname: data.site_hostname, kind: "primary" });
        for (const alias of data.alias_names) await repo.insertHostname({ site_id: site.id, hostname: alias, kind: "alias" });
        this.faultAfter?.("site");
        for (const name of data.environment_names) await repo.insertEnvironment({ site_id: site.id, name, created_at: at, ...requested });
        this.faultAfter?.("environments");
        await repo.insertContainer({ site_id: site.id, customer_id: customer.id, name: data.container_name, type_id: type.id, os_id: os.id, disk_space_mb: data.container_disk_space, size: data.container_size, created_at: at, ...requested });
        this.faultAfter?.("container");
        if (data.create_dns) {
          const ttl = Number(await this.settings.valueOf(trx, customer.id, "dns.default_ttl"));
          for (const a of addresses) await repo.insertDns({ site_id: site.id, name: data.site_hostname, type: a.version === 6 ? "AAAA" : "A", content: a.address, ttl });
          for (const alias of data.alias_names) await repo.insertDns({ site_id: site.id, name: alias, type: "CNAME", content: data.site_hostname, ttl });
          this.faultAfter?.("dns");
        }
        const view = siteView(site, (await repo.parts([site.id])).get(site.id) ?? { aliases: [], environments: [], containers: [], dns: [] });
        await this.audit.record(trx, ctx, { operation: SiteOps.wizard.name, targetType: "site", targetId: site.id, customerId: customer.id, before: null, after: view });
        return view;
      }),
    );
  }

  private async ownSite(db: Executor, ctx: Context, id: number): Promise<SiteRow> {
    const site = await new SiteRepository(db).site(id);
    if (!site || !(await ownsCustomer(db, ctx, site.customer_id))) throw notFound("Site");
    return site;
  }

  async get(ctx: Context, id: number): Promise<SiteView> {
    authorize(ctx, SiteOps.get);
    const site = await this.ownSite(this.storage.db, ctx, id);
    const parts = await new SiteRepository(this.storage.db).parts([id]);
    return siteView(site, parts.get(id) ?? { aliases: [], environments: [], containers: [], dns: [] });
  }

  async list(ctx: Context, customerRef: string | number, limit: number, startingAfter?: number): Promise<{ data: SiteView[]; has_more: boolean; next_cursor: string | null }> {
    authorize(ctx, SiteOps.list);
    const customer = await visibleCustomer(this.storage.db, ctx, customerRef);
    const repo = new SiteRepository(this.storage.db);
    const rows = await repo.sitesOf(customer.id, limit + 1, startingAfter);
    const page = rows.slice(0, limit);
    const parts = await repo.parts(page.map((s) => s.id));
    const hasMore = rows.length > limit;
    const last = page[page.length - 1];
    return { data: page.map((s) => siteView(s, parts.get(s.id) ?? { aliases: [], environments: [], containers: [], dns: [] })), has_more: hasMore, next_cursor: hasMore && last ? String(last.id) : null };
  }

  /**
   * Deletes a site. Nothing was built for a site still `requested` or `failed`, so it goes at
   * once; a built one is marked `deleting` for the provisioning system, which (with an operator
   * key) deletes it again when it has torn it down. Returns null when the site is gone.
   */
  async delete(ctx: Context, id: number, expectedVersion?: number): Promise<SiteView | null> {
    authorize(ctx, SiteOps.delete);
    return this.storage.transaction(async (trx) => {
      const site = await this.ownSite(trx, ctx, id);
      if (expectedVersion !== undefined && expectedVersion !== site.version) throw new AppError("precondition_failed", "The site changed since you read it (ETag mismatch)");
      const repo = new SiteRepository(trx);
      const before = siteView(site, (await repo.parts([id])).get(id) ?? { aliases: [], environments: [], containers: [], dns: [] });
      const immediate = site.status === "requested" || site.status === "failed" || (site.status === "deleting" && ctx.principal.kind === "operator");
      if (immediate) {
        await this.remove(trx, id);
        await this.audit.record(trx, ctx, { operation: SiteOps.delete.name, targetType: "site", targetId: id, customerId: site.customer_id, before, after: null });
        return null;
      }
      if (site.status !== "deleting") await repo.setSiteStatus(id, { status: "deleting", status_at: this.clock.now().toISOString(), status_message: "deletion requested" }, site.version + 1);
      const fresh = await repo.site(id);
      const view = fresh ? siteView(fresh, (await repo.parts([id])).get(id) ?? { aliases: [], environments: [], containers: [], dns: [] }) : before;
      await this.audit.record(trx, ctx, { operation: SiteOps.delete.name, targetType: "site", targetId: id, customerId: site.customer_id, before: { status: before.status }, after: { status: view.status } });
      return view;
    });
  }

  private async remove(trx: Executor, id: number): Promise<void> {
    for (const hook of this.removedHooks) await hook(trx, id);
    await this.network.unlinkSite(trx, id);
    await new SiteRepository(trx).deleteSite(id);
  }

  /** Is `siteId` a site of the customer, and `environmentId` (when given) one of its environments? */
  async belongs(db: Executor, customerId: number, siteId: number | null, environmentId: number | null): Promise<{ site: boolean; environment: boolean }> {
    const repo = new SiteRepository(db);
    const site = siteId === null ? null : await repo.site(siteId);
    const env = environmentId === null ? null : await repo.environment(environmentId);
    return {
      site: siteId === null || site?.customer_id === customerId,
      environment: environmentId === null || (env?.customer_id === customerId && (siteId === null || env.site_id === siteId)),
    };
  }

  // The catalogue.

  async createContainerType(ctx: Context, input: unknown): Promise<ContainerTypeView> {
    authorize(ctx, CatalogueOps.containerTypeCreate);
    const data = parseOrThrow(containerTypeCreateSchema, input);
    return withDbErrors(() =>
      this.storage.transaction(async (trx) => {
        const row = await new SiteRepository(trx).insertContainerType(data);
        await this.audit.record(trx, ctx, { operation: CatalogueOps.containerTypeCreate.name, targetType: "container_type", targetId: row.id, before: null, after: typeView(row) });
        return typeView(row);
      }),
    );
  }

  async listContainerTypes(ctx: Context): Promise<ContainerTypeView[]> {
    authorize(ctx, CatalogueOps.containerTypeList);
    return (await new SiteRepository(this.storage.db).containerTypes()).map(typeView);
  }

  async deleteContainerType(ctx: Context, id: number): Promise<void> {
    authorize(ctx, CatalogueOps.containerTypeDelete);
    await this.storage.transaction(async (trx) => {
      const repo = new SiteRepository(trx);
      if ((await repo.containersUsing("type_id", id)) > 0) throw new AppError("conflict", "Containers of this type exist; the type stays until they are gone");
      if ((await repo.deleteContainerType(id)) === 0) throw notFound("Container type");
      await this.audit.record(trx, ctx, { operation: CatalogueOps.containerTypeDelete.name, targetType: "container_type", targetId: id });
    });
  }

  async createOsImage(ctx: Context, input: unknown): Promise<OsImageView> {
    authorize(ctx, CatalogueOps.osCreate);
    const data = parseOrThrow(osImageCreateSchema, input);
    return withDbErrors(() =>
      this.storage.transaction(async (trx) => {
        const row = await new SiteRepository(trx).insertOsImage(data);
        await this.audit.record(trx, ctx, { operation: CatalogueOps.osCreate.name, targetType: "os_image", targetId: row.id, before: null, after: osView(row) });
        return osView(row);
      }),
    );
  }

  async listOsImages(ctx: Context): Promise<OsImageView[]> {
    authorize(ctx, CatalogueOps.osList);
    return (await new SiteRepository(this.storage.db).osImages()).map(osView);
  }

  async deleteOsImage(ctx: Context, id: number): Promise<void> {
    authorize(ctx, CatalogueOps.osDelete);
    await this.storage.transaction(async (trx) => {
      const repo = new SiteRepository(trx);
      if ((await repo.containersUsing("os_id", id)) > 0) throw new AppError("conflict", "Containers on this image exist; the image stays until they are gone");
      if ((await repo.deleteOsImage(id)) === 0) throw notFound("OS image");
      await this.audit.record(trx, ctx, { operation: CatalogueOps.osDelete.name, targetType: "os_image", targetId: id });
    });
  }
}
