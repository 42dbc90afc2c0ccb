import type { Context } from "../../core/context.js";
import { notFound } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import type { Storage } from "../../storage/db.js";
import { AccountRepository } from "../accounts/repository.js";
import type { Customer, RawFilter, RawListQuery } from "../customers/schema.js";
import type { CustomerService } from "../customers/service.js";
import { UsageOps } from "./operations.js";
import { UsageRepository } from "./repository.js";
import type { Usage } from "./schema.js";
import { usageOf } from "./service.js";

export interface DirectoryEntry {
  customer: Customer;
  /** Name of the account that owns the customer. */
  ownerName: string;
  /** Current usage, when asked for. */
  usage?: Usage;
}

/**
 * Customers as a hosting panel lists them: each with its owner's name and, on request, its
 * current usage, read in one call. Visibility is the customer service's (same scope rules).
 */
export class CustomerDirectory {
  constructor(
    private readonly storage: Storage,
    private readonly customers: Pick<CustomerService, "get" | "list" | "count" | "parseListQuery">,
  ) {}

  async list(ctx: Context, raw: RawListQuery, withUsage: boolean): Promise<DirectoryEntry[]> {
    if (withUsage) authorize(ctx, UsageOps.get);
    const page = await this.customers.list(ctx, this.customers.parseListQuery(raw));
    return this.entries(page.data, withUsage);
  }

  /** `live`: a deleted customer (a tombstone) reads as missing. */
  async get(ctx: Context, ref: string, withUsage: boolean, live = false): Promise<DirectoryEntry> {
    if (withUsage) authorize(ctx, UsageOps.get);
    const customer = await this.customers.get(ctx, ref);
    if (live && customer.deleted) throw notFound("Customer");
    const [entry] = await this.entries([customer], withUsage);
    return entry as DirectoryEntry;
  }

  async count(ctx: Context, filters: RawFilter[]): Promise<number> {
    const q = this.customers.parseListQuery({ filters, limit: 1, includeTotal: false, includeDeleted: false });
    return this.customers.count(ctx, q.filters);
  }

  /** Entries for customers already read by the caller (after a write that returned them). */
  async entriesFor(customers: Customer[]): Promise<DirectoryEntry[]> {
    return this.entries(customers, false);
  }

  private async entries(customers: Customer[], withUsage: boolean): Promise<DirectoryEntry[]> {
    const ownerIds = [...new Set(customers.map((c) => c.owner_id))];
    const names = await new AccountRepository(this.storage.db).namesOf(ownerIds);
    const current = withUsage ? await new UsageRepository(this.storage.db).currentOf(customers.map((c) => c.id)) : [];
    return customers.map((customer) => {
      const entry: DirectoryEntry = { customer, ownerName: names.get(customer.owner_id) ?? "" };
      if (withUsage) entry.usage = usageOf(customer, current.filter((r) => r.customer_id === customer.id));
      return entry;
    });
  }
}
