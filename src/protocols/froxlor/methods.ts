import type { Context } from "../../core/context.js";
import { validationFailed } from "../../core/errors.js";
import type { OperationDef } from "../../core/operations.js";
import { CustomerOps } from "../../modules/customers/operations.js";
import type { CustomerService } from "../../modules/customers/service.js";
import { LifecycleOps } from "../../modules/lifecycle/operations.js";
import { PlanOps } from "../../modules/plans/operations.js";
import type { Plan } from "../../modules/plans/schema.js";
import type { PlanService } from "../../modules/plans/service.js";
import type { ProvisioningService } from "../../modules/provisioning/service.js";
import type { CustomerDirectory, DirectoryEntry } from "../../modules/usage/directory.js";
import type { ErrorScene } from "./errors.js";
import { CUSTOMER_FIELDS, decodeCustomer, decodeSelfUpdate, encodeRow } from "./fields.js";
import { decodeOrder, decodePaging, decodeSearch } from "./listing.js";
import { customerLookup, missing, planLookup, requiredText } from "./params.js";
import { intval, phpBool, phpText } from "./php.js";

/**
 * Froxlor's commands (lib/Froxlor/Api/Commands/Customers.php, HostingPlans.php, Froxlor.php),
 * each bound to ONE domain call: decode the parameters, run, encode the answer's `data`.
 */

export interface FroxlorDeps {
  customers: Pick<CustomerService, "parseListQuery">;
  directory: CustomerDirectory;
  provisioning: ProvisioningService;
  plans: PlanService;
}

export interface FroxlorCall {
  ctx: Context;
  deps: FroxlorDeps;
  /** Facts error texts may quote; methods fill in what they looked up. */
  scene: ErrorScene;
  /** Every method, for Froxlor.listFunctions. */
  table: MethodTable;
}

export interface FroxlorMethod<I = unknown, R = unknown> {
  /** The operation it runs (null: answered by the protocol itself, like listFunctions). */
  operation: OperationDef | null;
  /** For Froxlor.listFunctions. */
  doc: { head: string; access: "admin" | "admin customer" | "admin, customer"; params?: [string, string, string][]; returns?: string };
  decode(params: Record<string, unknown>, call: FroxlorCall): I;
  run(input: I, call: FroxlorCall): Promise<R>;
  encode(result: R, call: FroxlorCall): unknown;
}

function method<I, R>(m: FroxlorMethod<I, R>): FroxlorMethod<I, R> {
  return m;
}

// biome-ignore lint/suspicious/noExplicitAny: the table holds methods of every shape
export type MethodTable = Readonly<Record<string, FroxlorMethod<any, any>>>;

const isAdmin = (ctx: Context) => ctx.principal.kind !== "customer";

function rowOf(entry: DirectoryEntry, call: FroxlorCall, extra: { showUsages?: boolean } = {}): Record<string, unknown> {
  const admin = isAdmin(call.ctx);
  return encodeRow(entry.customer, {
    ...(admin ? { adminname: entry.ownerName } : { selfView: true }),
    ...(entry.usage ? { usage: entry.usage } : {}),
    ...(extra.showUsages ? { showUsages: true } : {}),
  });
}

function throwIssues(issues: { field: string; code: string; message: string }[]): void {
  if (issues.length > 0) throw validationFailed(issues);
}

function lookup(params: Record<string, unknown>, call: FroxlorCall, command: string): string {
  const l = customerLookup(params, command);
  call.scene.lookup = { by: l.by, value: l.value };
  call.scene.object = "customer";
  return l.ref;
}

const passwordOf = (params: Record<string, unknown>): string | undefined => {
  const p = phpText(params.new_customer_password);
  return p === undefined || p === "" ? undefined : p;
};

const QUOTA_WIRE = Object.entries(CUSTOMER_FIELDS).filter(([, s]) => s.to.startsWith("resources.") && s.to !== "resources.hosting_plan_id");

/** A plan as a `panel_plans` row: its values under Froxlor's form names, as JSON text. */
function planRow(p: Plan): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  const res = p.resources as Record<string, unknown>;
  for (const [wire, spec] of QUOTA_WIRE) {
    const v = res[spec.to.slice("resources.".length)];
    if (spec.unlimited) {
      value[wire] = v === -1 ? 0 : (v ?? 0);
      value[spec.unlimited] = v === -1 ? 1 : 0;
    } else if (typeof v === "boolean") value[wire] = v ? 1 : 0;
    else value[wire] = v ?? (spec.kind === "int_list" ? [] : 0);
  }
  return { id: p.id, adminid: p.owner_id, name: p.name, description: p.description, value: JSON.stringify(value), ts: Math.floor(Date.parse(p.updated_at) / 1000) };
}

function planResources(params: Record<string, unknown>, mode: "add" | "update"): Record<string, unknown> | undefined {
  const d = decodeCustomer(params, mode);
  throwIssues(d.issues);
  const r = d.fields.resources as Record<string, unknown> | undefined;
  if (r) delete r.hosting_plan_id;
  return r && Object.keys(r).length > 0 ? r : undefined;
}

const SEARCH_PARAMS: [string, string, string][] = [
  ["sql_search", "array", "optional: field => value (LIKE) or {op: <, >, =, <>, in; value}"],
  ["sql_limit", "int", "optional: number of rows"],
  ["sql_offset", "int", "optional: rows to skip (with sql_limit)"],
  ["sql_orderby", "array", "optional: field => ASC|DESC"],
];

export const METHODS: MethodTable = {
  "Customers.listing": method({
    operation: CustomerOps.list,
    doc: { head: "lists all customer entries", access: "admin", params: [...SEARCH_PARAMS, ["show_usages", "bool", "optional, default false"]], returns: "count|list" },
    decode: (params) => {
      const paging = decodePaging(params);
      return { raw: { filters: decodeSearch(params.sql_search), sort: decodeOrder(params.sql_orderby), limit: paging.limit, offset: paging.offset, includeTotal: false, includeDeleted: false }, usages: phpBool(params.show_usages) };
    },
    run: (input, { ctx, deps }) => deps.directory.list(ctx, input.raw, input.usages),
    encode: (entries: DirectoryEntry[], call) => ({ count: entries.length, list: entries.map((e) => rowOf(e, call, { showUsages: e.usage !== undefined })) }),
  }),
  "Customers.listingcount": method({
    operation: CustomerOps.count,
    doc: { head: "returns the total number of customers for the given admin", access: "admin", params: [["sql_search", "array", "optional"]], returns: "int" },
    decode: (params) => decodeSearch(params.sql_search),
    run: (filters, { ctx, deps }) => deps.directory.count(ctx, filters),
    encode: (n: number) => n,
  }),
  "Customers.get": method({
    operation: CustomerOps.get,
    doc: { head: "return a customer entry by either id or loginname", access: "admin, customer", params: [["id", "int", "optional"], ["loginname", "string", "optional"], ["show_usages", "bool", "optional"]] },
    decode: (params, call) => ({ ref: lookup(params, call, "Customers:get"), usages: phpBool(params.show_usages) }),
    // Froxlor removes deleted customers; their Custos tombstones read as missing here.
    run: (input, { ctx, deps }) => deps.directory.get(ctx, input.ref, input.usages, true),
    encode: (entry: DirectoryEntry, call) => rowOf(entry, call, { showUsages: entry.usage !== undefined }),
  }),
  "Customers.add": method({
    operation: CustomerOps.create,
    doc: { head: "create a new customer", access: "admin", params: [["email", "string", ""], ["new_loginname", "string", "optional"], ["new_customer_password", "string", "optional"], ["hosting_plan_id", "int", "optional"]] },
    decode: (params) => {
      requiredText(params, "email", "Customers:add");
      const d = decodeCustomer(params, "add");
      throwIssues(d.issues);
      const password = passwordOf(params);
      return { customer: d.fields, sendPassword: phpBool(params.sendpassword), ...(password !== undefined ? { password } : {}) };
    },
    run: (input, { ctx, deps }) => deps.provisioning.create(ctx, input),
    encode: (entry: DirectoryEntry, call) => rowOf(entry, call),
  }),
  "Customers.update": method({
    operation: CustomerOps.update,
    doc: { head: "update customer entry by either id or loginname, customer can only change language, password and theme", access: "admin, customer", params: [["id", "int", "optional"], ["loginname", "string", "optional"], ["deactivated", "bool", "optional"], ["move_to_admin", "int", "optional"], ["new_customer_password", "string", "optional"]] },
    decode: (params, call) => {
      const ref = lookup(params, call, "Customers:update");
      const password = passwordOf(params);
      if (!isAdmin(call.ctx)) {
        // A customer's own key changes only def_language, theme and the password; the rest is ignored.
        const d = decodeSelfUpdate(params);
        throwIssues(d.issues);
        return { ref, input: { patch: d.fields, ...(password !== undefined ? { password } : {}) } };
      }
      const d = decodeCustomer(params, "update");
      throwIssues(d.issues);
      const moveTo = intval(params.move_to_admin);
      return {
        ref,
        input: {
          patch: d.fields,
          ...(password !== undefined ? { password } : {}),
          ...(params.deactivated !== undefined && params.deactivated !== null ? { active: !phpBool(params.deactivated) } : {}),
          ...(moveTo > 0 ? { ownerId: moveTo } : {}),
        },
      };
    },
    run: (input, { ctx, deps }) => deps.provisioning.update(ctx, input.ref, input.input),
    encode: (entry: DirectoryEntry, call) => rowOf(entry, call),
  }),
  "Customers.delete": method({
    operation: CustomerOps.delete,
    doc: { head: "delete a customer entry by either id or loginname", access: "admin", params: [["id", "int", "optional"], ["loginname", "string", "optional"], ["delete_userfiles", "bool", "optional, default false"]] },
    // delete_userfiles: Custos keeps no files; the flag is accepted and has nothing to act on.
    decode: (params, call) => lookup(params, call, "Customers:delete"),
    run: (ref, { ctx, deps }) => deps.provisioning.delete(ctx, ref),
    encode: (entry: DirectoryEntry, call) => rowOf(entry, call),
  }),
  "Customers.unlock": method({
    operation: LifecycleOps.unlock,
    doc: { head: "unlock a locked customer by either id or loginname", access: "admin", params: [["id", "int", "optional"], ["loginname", "string", "optional"]] },
    decode: (params, call) => lookup(params, call, "Customers:unlock"),
    run: (ref, { ctx, deps }) => deps.provisioning.unlock(ctx, ref),
    encode: (entry: DirectoryEntry, call) => ({ ...rowOf(entry, call), loginfail_count: 0 }),
  }),
  "Customers.move": method({
    operation: CustomerOps.move,
    doc: { head: "move a customer to another admin/reseller", access: "admin", params: [["id", "int", "optional"], ["loginname", "string", "optional"], ["adminid", "int", "target-admin-id"]] },
    decode: (params, call) => {
      const ref = lookup(params, call, "Customers:move");
      if (params.adminid === undefined || params.adminid === null) throw missing("adminid", "Customers:move");
      return { ref, adminId: intval(params.adminid) };
    },
    run: (input, { ctx, deps }) => deps.provisioning.move(ctx, input.ref, input.adminId),
    encode: (entry: DirectoryEntry, call) => rowOf(entry, call),
  }),
  "HostingPlans.listing": method({
    operation: PlanOps.list,
    doc: { head: "lists all hosting plans", access: "admin", params: SEARCH_PARAMS, returns: "count|list" },
    decode: (params) => {
      const search = params.sql_search as Record<string, unknown> | undefined;
      const name = search && typeof search === "object" ? phpText((search.name as { value?: unknown })?.value ?? search.name) : undefined;
      return { limit: decodePaging(params).limit, ...(name ? { name } : {}) };
    },
    run: (q, { ctx, deps }) => deps.plans.list(ctx, q),
    encode: (page: { data: Plan[] }) => ({ count: page.data.length, list: page.data.map(planRow) }),
  }),
  "HostingPlans.listingcount": method({
    operation: PlanOps.list,
    doc: { head: "returns the total number of hosting plans", access: "admin" },
    decode: () => ({ limit: 10_000 }),
    run: (q, { ctx, deps }) => deps.plans.list(ctx, q),
    encode: (page: { data: Plan[] }) => page.data.length,
  }),
  "HostingPlans.get": method({
    operation: PlanOps.get,
    doc: { head: "return a hosting plan by id or name", access: "admin", params: [["id", "int", "optional"], ["planname", "string", "optional"]] },
    decode: (params, call) => {
      call.scene.object = "plan";
      return planLookup(params, "HostingPlans:get");
    },
    run: (ref, { ctx, deps }) => deps.plans.get(ctx, ref),
    encode: planRow,
  }),
  "HostingPlans.add": method({
    operation: PlanOps.create,
    doc: { head: "add a new hosting plan", access: "admin", params: [["name", "string", ""], ["description", "string", "optional"]] },
    decode: (params) => {
      const name = requiredText(params, "name", "HostingPlans:add");
      const description = phpText(params.description);
      const resources = planResources(params, "add");
      return { name, ...(description ? { description } : {}), ...(resources ? { resources } : {}) };
    },
    run: (input, { ctx, deps }) => deps.plans.create(ctx, input),
    encode: planRow,
  }),
  "HostingPlans.update": method({
    operation: PlanOps.update,
    doc: { head: "update a hosting plan by id or name", access: "admin", params: [["id", "int", "optional"], ["planname", "string", "optional"], ["name", "string", "optional"], ["description", "string", "optional"]] },
    decode: (params, call) => {
      call.scene.object = "plan";
      const ref = planLookup(params, "HostingPlans:update");
      const name = phpText(params.name);
      const description = phpText(params.description);
      const resources = planResources(params, "update");
      return { ref, patch: { ...(name ? { name } : {}), ...(description !== undefined ? { description } : {}), ...(resources ? { resources } : {}) } };
    },
    run: (input, { ctx, deps }) => deps.plans.update(ctx, input.ref, input.patch),
    encode: planRow,
  }),
  "HostingPlans.delete": method({
    operation: PlanOps.delete,
    doc: { head: "delete a hosting plan by id or name", access: "admin", params: [["id", "int", "optional"], ["planname", "string", "optional"]] },
    decode: (params, call) => {
      call.scene.object = "plan";
      return planLookup(params, "HostingPlans:delete");
    },
    run: (ref, { ctx, deps }) => deps.plans.delete(ctx, ref),
    encode: planRow,
  }),
  "Froxlor.listfunctions": method({
    operation: null,
    doc: { head: "lists all api functions", access: "admin, customer", params: [["module", "string", "optional"], ["function", "string", "optional"]] },
    decode: (params) => ({ module: phpText(params.module) ?? "", fn: (phpText(params.function) ?? "").toLowerCase() }),
    run: async (q, { table }) =>
      Object.entries(table)
        .map(([name, m]) => {
          const [module = "", fn = ""] = name.split(".");
          return { name, module, fn, m };
        })
        .filter((x) => (q.module === "" || x.module === q.module) && (q.fn === "" || x.fn === q.fn)),
    encode: (rows: { name: string; module: string; fn: string; m: FroxlorMethod }[]) =>
      rows.map(({ module, m, name }) => ({
        module,
        function: DISPLAY_NAME[name] ?? name.split(".")[1],
        head: m.doc.head,
        params: (m.doc.params ?? []).map(([parameter, type, desc]) => ({ parameter, type, desc })),
        access: { groups: m.doc.access.replace(", ", " ") },
        return: { type: "string", desc: `json-encoded ${m.doc.returns ?? "array"}` },
      })),
  }),
};

/** Method part is case-insensitive on the wire; listFunctions shows Froxlor's spelling. */
const DISPLAY_NAME: Record<string, string> = {
  "Customers.listingcount": "listingCount",
  "HostingPlans.listingcount": "listingCount",
  "Froxlor.listfunctions": "listFunctions",
};
