import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError, notFound, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { fieldError, parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import { withDbErrors } from "../../storage/db-errors.js";
import type { AuditService } from "../audit/service.js";
import type { CustomerService } from "../customers/service.js";
import { visibleCustomer, writableCustomer } from "../provisioning/scope.js";
import { IpAddressOps, IpPoolOps } from "./operations.js";
import { canonicalAddress, inPool, nextFree, parsePool, poolSize, type PoolRange } from "./ranges.js";
import { type IpAddressDetailRow, type IpPoolRow, NetworkRepository } from "./repository.js";
import { type IpAddressView, type IpPoolView, ipAddressAddSchema, ipPoolCreateSchema } from "./schema.js";

function poolView(row: IpPoolRow, assigned: number): IpPoolView {
  return {
    object: "ip_pool",
    id: row.id,
    name: row.name,
    cidr: row.cidr,
    version: row.version === 6 ? 6 : 4,
    size: poolSize(parsePool(row.cidr)).toString(),
    assigned,
    created_at: row.created_at,
  };
}

function addressView(row: IpAddressDetailRow): IpAddressView {
  return {
    object: "ip_address",
    address: row.address,
    version: row.version === 6 ? 6 : 4,
    pool: { id: row.pool_id, name: row.pool_name },
    customer_id: row.customer_id,
    site_id: row.site_id,
    reverse_dns: row.reverse_dns,
    assigned_at: row.assigned_at,
  };
}

const poolExhausted = (names: string[]): AppError =>
  new AppError("conflict", `IP pool exhausted: no free address left in ${names.map((n) => `"${n}"`).join(", ") || "any pool"}`, {
    issues: [{ field: "pool_id", code: "out_of_range", message: "pool exhausted: every address of the pool is assigned" }],
  });

/** Tells whether a site id belongs to a customer; the sites module provides it. */
export type SiteLookup = (db: Executor, customerId: number, siteId: number) => Promise<boolean>;

/**
 * IP address pools and their assignment to customers. An address is assigned at most once: a unique index on
 * the address, and the pool's row lock held while the next free address is picked.
 */
export class NetworkService {
  private siteLookup: SiteLookup = async () => false;

  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    customers: CustomerService,
  ) {
    customers.onPurge((trx, id) => this.repo(trx).deleteForCustomer(id));
  }

  useSiteLookup(lookup: SiteLookup): void {
    this.siteLookup = lookup;
  }

  private repo(db: Executor): NetworkRepository {
    return new NetworkRepository(db, this.storage.dialect);
  }

  async createPool(ctx: Context, input: unknown): Promise<IpPoolView> {
    authorize(ctx, IpPoolOps.create);
    const data = parseOrThrow(ipPoolCreateSchema, input);
    let range: PoolRange;
    try {
      range = parsePool(data.cidr);
    } catch {
      throw fieldError("cidr", "invalid_format", "must be an IPv4 or IPv6 range in CIDR notation, e.g. 192.0.2.0/28 or 2001:db8:1::/64");
    }
    if (range.last < range.first) throw fieldError("cidr", "out_of_range", "holds no assignable address");
    return withDbErrors(() =>
      this.storage.transaction(async (trx) => {
        const repo = this.repo(trx);
        for (const other of await repo.pools()) {
          const o = parsePool(other.cidr);
          if (o.version === range.version && o.first <= range.last && range.first <= o.last) {
            throw validationFailed([{ field: "cidr", code: "already_exists", message: `overlaps pool "${other.name}" (${other.cidr})` }]);
          }
        }
        const row = await repo.insertPool({ name: data.name, cidr: range.cidr, version: range.version, created_at: this.clock.now().toISOString() });
        const view = poolView(row, 0);
        await this.audit.record(trx, ctx, { operation: IpPoolOps.create.name, targetType: "ip_pool", targetId: row.id, before: null, after: view });
        return view;
      }),
    );
  }

  async listPools(ctx: Context): Promise<IpPoolView[]> {
    authorize(ctx, IpPoolOps.list);
    return (await this.repo(this.storage.db).pools()).map((p) => poolView(p, p.assigned));
  }

  async deletePool(ctx: Context, id: number): Promise<void> {
    authorize(ctx, IpPoolOps.delete);
    await this.storage.transaction(async (trx) => {
      const repo = this.repo(trx);
      await repo.lockPool(id);
      const pool = await repo.pool(id);
      if (!pool) throw notFound("IP pool");
      const used = await repo.countIn(id);
      if (used > 0) throw new AppError("conflict", `IP pool "${pool.name}" still has ${used} assigned address(es); free them first`);
      await repo.deletePool(id);
      await this.audit.record(trx, ctx, { operation: IpPoolOps.delete.name, targetType: "ip_pool", targetId: id, before: poolView(pool, 0), after: null });
    });
  }

  /** Assigns an address to the customer: the one given (operators only) or the next free one. */
  async addIpAddress(ctx: Context, customerRef: string | number, input: unknown): Promise<IpAddressView> {
    authorize(ctx, IpAddressOps.add);
    const data = parseOrThrow(ipAddressAddSchema, input ?? {});
    let wanted: string | null = null;
    if (data.address !== undefined) {
      if (ctx.principal.kind !== "operator") throw new AppError("forbidden", "Only operators assign a specific address; omit address to get the next free one");
      wanted = canonicalAddress(data.address);
      if (wanted === null) throw fieldError("address", "invalid_format", "must be an IPv4 or IPv6 address");
    }
    return withDbErrors(() =>
      this.storage.transaction(async (trx) => {
        const customer = await writableCustomer(trx, ctx, customerRef);
        if (data.site_id !== undefined && !(await this.siteLookup(trx, customer.id, data.site_id))) throw fieldError("site_id", "invalid_value", "is not a site of this customer");
        const repo = this.repo(trx);
        const pools = await repo.pools();
        let candidates = pools;
        if (data.pool_id !== undefined) {
          candidates = pools.filter((p) => p.id === data.pool_id);
          if (candidates.length === 0) throw fieldError("pool_id", "invalid_value", "is not an IP pool");
        } else if (wanted === null) {
          candidates = pools.filter((p) => p.version === data.version);
          if (candidates.length === 0) throw new AppError("conflict", `No IPv${data.version} pool exists; an operator creates one first`, { issues: [{ field: "version", code: "out_of_range", message: "no pool of this version" }] });
        }
        let picked: { pool: IpPoolRow; address: string } | null = null;
        for (const pool of candidates) {
          const range = parsePool(pool.cidr);
          if (wanted !== null && !inPool(range, wanted)) continue;
          await repo.lockPool(pool.id);
          if (wanted !== null) {
            const taken = await repo.findAddress(wanted);
            if (taken) throw new AppError("conflict", `${wanted} is already assigned`, { issues: [{ field: "address", code: "already_exists", message: "is already assigned" }] });
            picked = { pool, address: wanted };
            break;
          }
          const address = nextFree(range, new Set(await repo.assignedIn(pool.id)));
          if (address !== null) {
            picked = { pool, address };
            break;
          }
        }
        if (picked === null) {
          if (wanted !== null) throw fieldError("address", "invalid_value", data.pool_id === undefined ? "is in no IP pool" : "is not in that pool");
          throw poolExhausted(candidates.map((p) => p.name));
        }
        const row = await repo.insertAddress({
          pool_id: picked.pool.id,
          address: picked.address,
          customer_id: customer.id,
          site_id: data.site_id ?? null,
          reverse_dns: data.reverse_dns ?? null,
          assigned_at: this.clock.now().toISOString(),
        });
        const view = addressView({ ...row, pool_name: picked.pool.name, version: picked.pool.version });
        await this.audit.record(trx, ctx, { operation: IpAddressOps.add.name, targetType: "ip_address", targetId: view.address, customerId: customer.id, before: null, after: view });
        return view;
      }),
    );
  }

  /** The customer's addresses alone. */
  async getIpAddresses(ctx: Context, customerRef: string | number): Promise<string[]> {
    authorize(ctx, IpAddressOps.list);
    const customer = await visibleCustomer(this.storage.db, ctx, customerRef);
    return (await this.repo(this.storage.db).forCustomer(customer.id)).map((r) => r.address);
  }

  /** The customer's addresses with their pool details. */
  async getDetailedIpAddresses(ctx: Context, customerRef: string | number): Promise<IpAddressView[]> {
    authorize(ctx, IpAddressOps.listDetailed);
    const customer = await visibleCustomer(this.storage.db, ctx, customerRef);
    return (await this.repo(this.storage.db).forCustomer(customer.id)).map(addressView);
  }

  /** Frees one of the customer's addresses: it goes back to its pool. */
  async freeIpAddress(ctx: Context, customerRef: string | number, address: string): Promise<void> {
    authorize(ctx, IpAddressOps.free);
    const canonical = canonicalAddress(address);
    if (canonical === null) throw fieldError("address", "invalid_format", "must be an IPv4 or IPv6 address");
    await this.storage.transaction(async (trx) => {
      const customer = await visibleCustomer(trx, ctx, customerRef);
      const repo = this.repo(trx);
      const row = (await repo.forCustomer(customer.id)).find((r) => r.address === canonical);
      if (!row) throw notFound("IP address");
      await repo.deleteAddress(row.id);
      await this.audit.record(trx, ctx, { operation: IpAddressOps.free.name, targetType: "ip_address", targetId: canonical, customerId: customer.id, before: addressView(row), after: null });
    });
  }

  /** The customer's addresses, oldest first (for DNS records; no scope check: callers did it). */
  async addressesOf(db: Executor, customerId: number): Promise<{ address: string; version: number }[]> {
    return (await this.repo(db).forCustomer(customerId)).map((r) => ({ address: r.address, version: r.version }));
  }

  /** A site is going away: its addresses stay with the customer, unlinked. */
  async unlinkSite(trx: Executor, siteId: number): Promise<void> {
    await this.repo(trx).unlinkSite(siteId);
  }
}
