import type { Context } from "../../core/context.js";
import { AppError, validationFailed } from "../../core/errors.js";
import type { Customer } from "../../modules/customers/schema.js";
import type { CustomerService } from "../../modules/customers/service.js";
import type { CommandRunner } from "../../core/commands.js";
import { type LifecycleCommandDeps, LifecycleCommands } from "../../modules/lifecycle/commands.js";
import { decodeList, decodeProperties, encodeCustomer, renameIssues, SUSPEND_REASON } from "./mapping.js";

/** The domain services the Everlytic methods call. */
export interface EverlyticServices {
  customers: CustomerService;
  commands: CommandRunner<LifecycleCommandDeps>;
}

/** A customer id as Everlytic sends it: an integer, or its digits as text. */
export function customerId(value: unknown): number {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw validationFailed([{ field: "id", code: "invalid_type", message: "must be a positive integer (the customer id)" }]);
  return n;
}

/** Validation errors from the domain name canonical fields; Everlytic clients know their own property names. */
async function renamed<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AppError && error.issues.length > 0) {
      throw new AppError(error.code, error.message, { issues: renameIssues(error.issues), cause: error, ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}) });
    }
    throw error;
  }
}

export interface ListArgs {
  page?: unknown;
  count?: unknown;
  order?: unknown;
  direction?: unknown;
  filter?: unknown;
}

export interface CustomerPage {
  items: Record<string, string | number>[];
  page: number;
  count: number;
  total: number;
}

/**
 * Everlytic's customer methods, shared by REST (/api/2.0/customers) and XML-RPC
 * (customers.CreateCustomer, ...): each decodes Everlytic properties, calls one domain command,
 * and encodes the customer as Everlytic's property table.
 */
export class EverlyticCustomers {
  constructor(private readonly s: EverlyticServices) {}

  /** CreateCustomer(struct) : int; POST /api/2.0/customers. `name` and `email` are required. */
  async create(ctx: Context, properties: unknown): Promise<Customer> {
    const { fields } = decodeProperties(properties, "create");
    const missing = ["name", "email"].filter((k) => (properties as Record<string, unknown>)[k] === undefined || (properties as Record<string, unknown>)[k] === "");
    if (missing.length > 0) throw validationFailed(missing.map((field) => ({ field, code: "required", message: "is required" })));
    return renamed(() => this.s.customers.create(ctx, fields));
  }

  /** GetCustomer(int) : struct; GET /api/2.0/customers/:id. */
  async get(ctx: Context, id: unknown): Promise<Customer> {
    return this.s.customers.get(ctx, `id:${customerId(id)}`);
  }

  /**
   * UpdateCustomer(int, struct) : int; PUT /api/2.0/customers/:id (partial). A `status` or
   * `deleted` runs the life-cycle transition that reaches it, in the same transaction as the
   * field changes (suspend exactly as POST /v1/customers/{ref}/suspend does).
   */
  async update(ctx: Context, id: unknown, properties: unknown): Promise<Customer> {
    const ref = `id:${customerId(id)}`;
    const { fields, target } = decodeProperties(properties, "update");
    const input = target === undefined ? fields : { ...fields, status: target, status_reason: SUSPEND_REASON };
    return renamed(() => this.s.commands.execute(LifecycleCommands.updateWithStatus, ctx, input, { ref }));
  }

  /** DeleteCustomer(int); DELETE /api/2.0/customers/:id. The customer stays as a tombstone (status deleted, deleted yes). */
  async delete(ctx: Context, id: unknown): Promise<Customer> {
    return this.s.customers.delete(ctx, `id:${customerId(id)}`);
  }

  /** ListCustomers(page, count, order, direction, filter); GET /api/2.0/customers?page=&count=. */
  async list(ctx: Context, args: ListArgs): Promise<CustomerPage> {
    const q = decodeList(args);
    const query = this.s.customers.parseListQuery({ filters: q.filters, sort: q.sort, limit: q.count, offset: (q.page - 1) * q.count, includeTotal: true, includeDeleted: q.includeDeleted });
    const page = await this.s.customers.list(ctx, query);
    return { items: page.data.map(encodeCustomer), page: q.page, count: q.count, total: page.total ?? page.data.length };
  }
}
