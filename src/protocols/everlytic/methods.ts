import type { CommandRunner } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import { validationFailed } from "../../core/errors.js";
import { CustomerCommands, type CustomerCommandDeps } from "../../modules/customers/commands.js";
import { CustomerOps } from "../../modules/customers/operations.js";
import type { Customer } from "../../modules/customers/schema.js";
import { type LifecycleCommandDeps, LifecycleCommands } from "../../modules/lifecycle/commands.js";
import { type MethodTable, method } from "../kit/rpc.js";
import { decodeList, decodeProperties, encodeCustomer, type ListArgs, renameIssues, SUSPEND_REASON } from "./fields.js";

export interface EverlyticDeps {
  commands: CommandRunner<CustomerCommandDeps & LifecycleCommandDeps>;
}

/** One Everlytic call as the bindings see it: who is calling. */
export interface EverlyticCall {
  ctx: Context;
}

/**
 * What a method answers, whatever the transport: one customer (`item`) or a page of them.
 * REST wraps it in {item, links} / {collection, links}; XML-RPC answers the id, the struct or the array.
 */
export type EverlyticResult = { item: Record<string, unknown> } | { collection: Record<string, unknown>[]; page: number; count: number; total: number };

/** Positional parameters ("0", "1", ...) as the XML-RPC codec decodes them; REST builds the same. */
export type Positional = Record<string, unknown>;

function args(params: Positional, name: string, min: number, max: number): unknown[] {
  const n = Object.keys(params).length;
  if (n < min || n > max) {
    throw validationFailed([{ field: "params", code: "invalid_value", message: `${name} takes ${min === max ? max : `${min} to ${max}`} parameter${max === 1 ? "" : "s"}, not ${n}` }]);
  }
  return Array.from({ length: max }, (_, i) => params[String(i)]);
}

/** A customer id as Everlytic sends it: an integer, or its digits as text. */
export function customerRef(value: unknown): { ref: string } {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw validationFailed([{ field: "id", code: "invalid_type", message: "must be a positive integer (the customer id)" }]);
  return { ref: `id:${n}` };
}

const item = (c: Customer): EverlyticResult => ({ item: encodeCustomer(c) });

/**
 * Everlytic's customer methods (seed 004; protocols.md §5), shared by REST (/api/2.0/customers)
 * and XML-RPC (customers.CreateCustomer, ...). Each decodes Everlytic properties, runs ONE
 * command, and encodes the customer as Everlytic's property table.
 */
export function everlyticMethods(deps: EverlyticDeps): MethodTable<EverlyticCall> {
  return {
    /** CreateCustomer(struct) : int; POST /api/2.0/customers. `name` and `email` are required. */
    CreateCustomer: method({
      operation: CustomerOps.create.name,
      decode(params) {
        const [properties] = args(params, "CreateCustomer", 1, 1);
        const { fields } = decodeProperties(properties, "create");
        const given = properties as Record<string, unknown>;
        const missing = ["name", "email"].filter((k) => given[k] === undefined || given[k] === "");
        if (missing.length > 0) throw validationFailed(missing.map((field) => ({ field, code: "required", message: "is required" })));
        return fields;
      },
      run: (input, { ctx }) => deps.commands.execute(CustomerCommands.create, ctx, input, undefined),
      encode: item,
      renameIssues,
    }),
    /** GetCustomer(int) : struct; GET /api/2.0/customers/:id. */
    GetCustomer: method({
      operation: CustomerOps.get.name,
      decode: (params) => customerRef(args(params, "GetCustomer", 1, 1)[0]),
      run: (target, { ctx }) => deps.commands.execute(CustomerCommands.get, ctx, {}, target),
      encode: item,
      renameIssues,
    }),
    /**
     * UpdateCustomer(int, struct) : int; PUT /api/2.0/customers/:id (partial). A `status` or
     * `deleted` runs the life-cycle transition that reaches it, in the same transaction as the
     * field changes (a suspension exactly as POST /v1/customers/{ref}/suspend).
     */
    UpdateCustomer: method({
      operation: CustomerOps.update.name,
      decode(params) {
        const [id, properties] = args(params, "UpdateCustomer", 2, 2);
        const target = customerRef(id);
        const { fields, target: status } = decodeProperties(properties, "update");
        return { target, input: status === undefined ? fields : { ...fields, status, status_reason: SUSPEND_REASON } };
      },
      run: ({ target, input }, { ctx }) => deps.commands.execute(LifecycleCommands.updateWithStatus, ctx, input, target),
      encode: item,
      renameIssues,
    }),
    /** DeleteCustomer(int); DELETE /api/2.0/customers/:id. The customer stays as a tombstone (status deleted, deleted yes). */
    DeleteCustomer: method({
      operation: CustomerOps.delete.name,
      decode: (params) => customerRef(args(params, "DeleteCustomer", 1, 1)[0]),
      run: (target, { ctx }) => deps.commands.execute(CustomerCommands.delete, ctx, {}, target),
      encode: item,
      renameIssues,
    }),
    /** ListCustomers(page = 1, count = 50, order = '', direction = 'ASC', filter = {}); GET /api/2.0/customers?page=&count=. */
    ListCustomers: method({
      operation: CustomerOps.list.name,
      decode(params) {
        const [page, count, order, direction, filter] = args(params, "ListCustomers", 0, 5);
        const list: ListArgs = { page, count, order, direction, filter };
        return decodeList(list);
      },
      async run(q, { ctx }) {
        const query = { filters: q.filters, sort: q.sort, limit: q.count, offset: (q.page - 1) * q.count, includeTotal: true, includeDeleted: q.includeDeleted };
        return { q, page: await deps.commands.execute(CustomerCommands.list, ctx, query, undefined) };
      },
      encode: ({ q, page }): EverlyticResult => ({ collection: page.data.map(encodeCustomer), page: q.page, count: q.count, total: page.total ?? page.data.length }),
      renameIssues,
    }),
  };
}
